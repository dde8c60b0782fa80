import Foundation

/// What an edit did to the code: definitions added, removed or changed, and its size.
/// Built from the old and new text of the edited region, with the surrounding file (when the
/// payload carries it) to name the function a mid-body change sits in.
struct HeuristicEditAnalysis {
    var added: [String] = []
    var removed: [String] = []
    var changed: [String] = []
    /// Classes (or other containers) the added/changed definitions live in.
    var containers: [String] = []
    var plus = 0
    var minus = 0
    /// Compact diff: "- old" / "+ new" lines, with a few context lines marked "  ".
    var diff: [String] = []
    /// The first added definition's line, trimmed ("def refresh_token(self, token: str) -> str:").
    var firstSignature: String?

    var names: [String] { added + changed + removed }
    var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// A region of the file around the edited text: its lines, and where the edited text starts in them.
    struct Context {
        var lines: [Substring]
        var offset: Int
    }

    static func analyze(
        old: String, new: String, oldContext: Context? = nil, newContext: Context? = nil,
        patchLines: [String]? = nil
    ) -> HeuristicEditAnalysis {
        var a = HeuristicEditAnalysis()
        let oldLines = old.isEmpty ? [] : HeuristicText.lines(old)
        let newLines = new.isEmpty ? [] : HeuristicText.lines(new)
        let ops = LineDiff.diff(oldLines, newLines)
        var changedOld: [Int] = [], changedNew: [Int] = []
        var oi = 0, ni = 0
        for (op, _) in ops {
            switch op {
            case .same: oi += 1; ni += 1
            case .removed: changedOld.append(oi); oi += 1
            case .added: changedNew.append(ni); ni += 1
            }
        }
        if let patchLines, !patchLines.isEmpty {
            a.plus = patchLines.filter { $0.hasPrefix("+") }.count
            a.minus = patchLines.filter { $0.hasPrefix("-") }.count
            a.diff = compactPatch(patchLines)
        } else {
            a.plus = changedNew.count
            a.minus = changedOld.count
            a.diff = compactPatch(ops.map { String($0.0.rawValue) + $0.1 })
        }

        let oldDefs = CodeSymbols.definitions(in: oldLines)
        let newDefs = CodeSymbols.definitions(in: newLines)
        let oldNames = Set(oldDefs.map(\.name))
        let newNames = Set(newDefs.map(\.name))
        for d in newDefs where !oldNames.contains(d.name) && !a.added.contains(d.name) {
            a.added.append(d.name)
            if a.firstSignature == nil {
                a.firstSignature = newLines[d.line].blankTrimmed
            }
            if d.indent > 0, let c = container(of: d.line, lines: newLines, context: newContext ?? oldContext) {
                a.containers.append(c)
            }
        }
        for d in oldDefs where !newNames.contains(d.name) && !a.removed.contains(d.name) { a.removed.append(d.name) }

        // Changed: the definitions enclosing changed lines that were neither added nor removed.
        var changedIndices: [(Int, [Substring], Context?)] = changedNew.map { ($0, newLines, newContext ?? oldContext) }
        changedIndices += changedOld.map { ($0, oldLines, oldContext) }
        for (i, lines, ctx) in changedIndices.prefix(400) {
            if lines[i].allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let d = enclosing(i, lines: lines, context: ctx) else { continue }
            if a.added.contains(d.name) || a.removed.contains(d.name) || a.changed.contains(d.name) { continue }
            a.changed.append(d.name)
            if a.changed.count >= 5 { break }
        }
        // A class that only received new methods is a container, not a change worth naming.
        a.changed.removeAll { a.containers.contains($0) }
        return a
    }

    /// The definition around line `i` of a snippet, looking into the file context when the snippet
    /// itself does not show it.
    private static func enclosing(_ i: Int, lines: [Substring], context: Context?) -> CodeSymbols.Definition? {
        if let d = CodeSymbols.enclosing(i, in: lines) { return d }
        guard let context else { return nil }
        return CodeSymbols.enclosing(context.offset + i, in: context.lines)
    }

    private static func container(of line: Int, lines: [Substring], context: Context?) -> String? {
        let indent = CodeSymbols.indentation(of: lines[line])
        var i = line - 1
        while i >= 0 {
            if let d = CodeSymbols.definition(in: lines[i]), d.indent < indent { return d.name }
            i -= 1
        }
        guard let context else { return nil }
        i = min(context.offset, context.lines.count) - 1
        while i >= 0 {
            if let d = CodeSymbols.definition(in: context.lines[i]), d.indent < indent { return d.name }
            i -= 1
        }
        return nil
    }

    /// Keeps changed lines and one line of context around each run; marks skipped context with "…".
    private static func compactPatch(_ lines: [String]) -> [String] {
        var out: [String] = []
        let isChange = lines.map { $0.hasPrefix("+") || $0.hasPrefix("-") }
        var lastKept = -2
        for (i, line) in lines.enumerated() {
            let near = isChange[i] || (i > 0 && isChange[i - 1]) || (i + 1 < lines.count && isChange[i + 1])
            guard near else { continue }
            if lastKept >= 0, i > lastKept + 1 { out.append("  …") }
            let marker = line.first.map(String.init) ?? " "
            out.append((marker == "+" || marker == "-" ? marker : " ") + " " + line.dropFirst())
            lastKept = i
        }
        return out
    }

    /// Lines of a Claude Code structuredPatch ([{oldStart, lines: ["+x", "-y", " z"]}]).
    static func patchLines(_ patch: JSONValue?) -> [String]? {
        guard let hunks = patch?.arrayValue, !hunks.isEmpty else { return nil }
        var out: [String] = []
        for hunk in hunks {
            for line in hunk["lines"]?.arrayValue ?? [] {
                if let s = line.stringValue { out.append(s) }
            }
        }
        return out.isEmpty ? nil : out
    }

    /// The old and new sides of a structuredPatch, and where the first hunk starts (0-based).
    static func patchSides(_ patch: JSONValue?) -> (old: String, new: String, oldStart: Int, newStart: Int)? {
        guard let hunks = patch?.arrayValue, let first = hunks.first else { return nil }
        var old: [String] = []
        var new: [String] = []
        for hunk in hunks {
            for line in hunk["lines"]?.arrayValue ?? [] {
                guard let s = line.stringValue else { continue }
                let body = String(s.dropFirst())
                if s.hasPrefix("+") {
                    new.append(body)
                } else if s.hasPrefix("-") {
                    old.append(body)
                } else {
                    old.append(body)
                    new.append(body)
                }
            }
        }
        return (
            old.joined(separator: "\n"), new.joined(separator: "\n"),
            max(0, (first["oldStart"]?.intValue ?? 1) - 1), max(0, (first["newStart"]?.intValue ?? 1) - 1)
        )
    }
}
