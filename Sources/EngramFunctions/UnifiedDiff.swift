/// A unified diff of two small texts (function sources), by longest common subsequence, with 3 lines of context.
enum UnifiedDiff {
    static func make(_ old: String, _ new: String, oldName: String, newName: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let n = a.count, m = b.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        // (op, text, oldLine, newLine), 1-based line numbers of each side before the line.
        var ops: [(Character, String)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                ops.append((" ", a[i])); i += 1; j += 1
            } else if j < m, i == n || lcs[i][j + 1] >= lcs[i + 1][j] {
                ops.append(("+", b[j])); j += 1
            } else {
                ops.append(("-", a[i])); i += 1
            }
        }
        guard ops.contains(where: { $0.0 != " " }) else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var k = 0
        var oldLine = 1, newLine = 1
        var positions: [(Int, Int)] = []
        for op in ops {
            positions.append((oldLine, newLine))
            if op.0 != "+" { oldLine += 1 }
            if op.0 != "-" { newLine += 1 }
        }
        while k < ops.count {
            guard let firstChange = ops[k...].firstIndex(where: { $0.0 != " " }) else { break }
            let start = max(k, firstChange - 3)
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if ops[end].0 != " " { lastChange = end }
                if end - lastChange > 6 { break }
                end += 1
            }
            end = min(ops.count, lastChange + 4)
            let hunk = ops[start..<end]
            let oldCount = hunk.filter { $0.0 != "+" }.count
            let newCount = hunk.filter { $0.0 != "-" }.count
            out += "@@ -\(positions[start].0),\(oldCount) +\(positions[start].1),\(newCount) @@\n"
            for op in hunk { out += String(op.0) + op.1 + "\n" }
            k = end
        }
        return out
    }
}
