import Foundation

/// Line diff by longest common subsequence, for the small texts of a single edit. Above a size
/// limit it degrades to "common head and tail, everything between changed", which stays linear.
package enum LineDiff {
    enum Op: Character { case same = " ", removed = "-", added = "+" }

    package struct Hunk: Equatable {
        package var oldStart: Int // 1-based, as unified diffs count
        package var oldLines: Int
        package var newStart: Int
        package var newLines: Int
        package var lines: [String] // " ctx", "-old", "+new"
    }

    static func diff<S: StringProtocol>(_ a: [S], _ b: [S], cellLimit: Int = 400_000) -> [(Op, String)] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let am = Array(a[head..<(a.count - tail)])
        let bm = Array(b[head..<(b.count - tail)])
        var out: [(Op, String)] = a[..<head].map { (.same, String($0)) }
        if am.count * bm.count > cellLimit || am.isEmpty || bm.isEmpty {
            out += am.map { (.removed, String($0)) }
            out += bm.map { (.added, String($0)) }
        } else {
            // lcs[i][j] = LCS length of am[i...] and bm[j...], flattened.
            let n = am.count, m = bm.count
            var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i * (m + 1) + j] =
                        am[i] == bm[j]
                        ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                        : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, am[i] == bm[j] {
                    out.append((.same, String(am[i]))); i += 1; j += 1
                } else if j < m, i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j] {
                    out.append((.added, String(bm[j]))); j += 1
                } else {
                    out.append((.removed, String(am[i]))); i += 1
                }
            }
            // Removals before additions within a changed run reads like a unified diff.
            out = reorderRuns(out)
        }
        out += a[(a.count - tail)...].map { (.same, String($0)) }
        return out
    }

    /// Unified-diff hunks with `context` lines around each change.
    package static func hunks<S: StringProtocol>(_ a: [S], _ b: [S], context: Int = 3) -> [Hunk] {
        let ops = diff(a, b)
        let changed = ops.indices.filter { ops[$0].0 != .same }
        guard !changed.isEmpty else { return [] }
        var hunks: [Hunk] = []
        var groupStart = changed[0], groupEnd = changed[0]
        func emit(_ s: Int, _ e: Int) {
            let lo = max(0, s - context), hi = min(ops.count - 1, e + context)
            var oldLine = 1, newLine = 1
            for k in 0..<lo {
                if ops[k].0 != .added { oldLine += 1 }
                if ops[k].0 != .removed { newLine += 1 }
            }
            var h = Hunk(oldStart: oldLine, oldLines: 0, newStart: newLine, newLines: 0, lines: [])
            for k in lo...hi {
                let (op, text) = ops[k]
                h.lines.append(String(op.rawValue) + text)
                if op != .added { h.oldLines += 1 }
                if op != .removed { h.newLines += 1 }
            }
            hunks.append(h)
        }
        for idx in changed.dropFirst() {
            if idx - groupEnd > 2 * context {
                emit(groupStart, groupEnd)
                groupStart = idx
            }
            groupEnd = idx
        }
        emit(groupStart, groupEnd)
        return hunks
    }

    private static func reorderRuns(_ ops: [(Op, String)]) -> [(Op, String)] {
        var out: [(Op, String)] = []
        var removed: [(Op, String)] = [], added: [(Op, String)] = []
        for op in ops {
            switch op.0 {
            case .same:
                out += removed + added
                removed.removeAll(); added.removeAll()
                out.append(op)
            case .removed: removed.append(op)
            case .added: added.append(op)
            }
        }
        return out + removed + added
    }
}
