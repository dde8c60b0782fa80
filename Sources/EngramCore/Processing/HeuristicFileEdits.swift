import Foundation

/// Readings of the file tools: Edit, MultiEdit, Write, NotebookEdit and Read.
enum HeuristicFileEdits {
    // MARK: Edit

    static func edit(_ ctx: HeuristicContext) -> CompressedObservation {
        let path = ctx.filePath() ?? "a file"
        let old = ctx.inputText("old_string") ?? ctx.responseText("oldString") ?? ""
        let new = ctx.inputText("new_string") ?? ctx.responseText("newString") ?? ""
        let original = ctx.responseText("originalFile")
        let analysis = HeuristicEditAnalysis.analyze(
            old: old, new: new, oldContext: context(for: old, in: original),
            patchLines: HeuristicEditAnalysis.patchLines(ctx.response["structuredPatch"]))
        let replaceAll = ctx.input["replace_all"]?.boolValue ?? ctx.response["replaceAll"]?.boolValue ?? false
        return describeEdit(verb: "Edited", path: path, analysis: analysis, edits: 1, replaceAll: replaceAll)
    }

    static func multiEdit(_ ctx: HeuristicContext) -> CompressedObservation {
        let path = ctx.filePath() ?? "a file"
        let original = ctx.responseText("originalFileContents") ?? ctx.responseText("originalFile")
        let edits = ctx.input["edits"]?.arrayValue ?? ctx.response["edits"]?.arrayValue ?? []
        var merged = HeuristicEditAnalysis()
        for e in edits.prefix(100) {
            let old = e.heuristicText("old_string") ?? e.heuristicText("oldString") ?? ""
            let new = e.heuristicText("new_string") ?? e.heuristicText("newString") ?? ""
            let a = HeuristicEditAnalysis.analyze(old: old, new: new, oldContext: context(for: old, in: original))
            merged.plus += a.plus
            merged.minus += a.minus
            merged.diff += a.diff
            merged.firstSignature = merged.firstSignature ?? a.firstSignature
            for n in a.added where !merged.added.contains(n) { merged.added.append(n) }
            for n in a.removed where !merged.removed.contains(n) { merged.removed.append(n) }
            for n in a.changed where !merged.changed.contains(n) { merged.changed.append(n) }
            for n in a.containers where !merged.containers.contains(n) { merged.containers.append(n) }
        }
        // A name removed in one edit and added in another was moved or rewritten: call it changed.
        for n in merged.added where merged.removed.contains(n) {
            merged.changed.append(n)
        }
        merged.added.removeAll { merged.changed.contains($0) }
        merged.removed.removeAll { merged.changed.contains($0) }
        if let patch = HeuristicEditAnalysis.patchLines(ctx.response["structuredPatch"]) {
            merged.plus = patch.filter { $0.hasPrefix("+") }.count
            merged.minus = patch.filter { $0.hasPrefix("-") }.count
        }
        return describeEdit(verb: "Edited", path: path, analysis: merged, edits: edits.count, replaceAll: false)
    }

    private static func describeEdit(
        verb: String, path: String, analysis a: HeuristicEditAnalysis, edits: Int,
        replaceAll: Bool
    ) -> CompressedObservation {
        let head = "\(verb) \(path)" + (edits > 1 ? " (\(edits) edits)" : "")
        let title = head + ": " + changeWords(a, budget: max(20, HeuristicText.titleLimit - head.count - 2))
        var summary = "\(path): +\(a.plus) −\(a.minus) lines"
        if !a.containers.isEmpty { summary += " in " + a.containers.joined(separator: ", ") }
        summary += "."
        if !a.added.isEmpty { summary += " Added " + HeuristicText.nameList(a.added, limit: 90) + "." }
        if !a.changed.isEmpty { summary += " Changed " + HeuristicText.nameList(a.changed, limit: 90) + "." }
        if !a.removed.isEmpty { summary += " Removed " + HeuristicText.nameList(a.removed, limit: 90) + "." }
        if replaceAll { summary += " Replaced every occurrence." }
        if let sig = a.firstSignature { summary += " New: " + HeuristicText.oneLine(sig, limit: 110) }
        return CompressedObservation(
            title: title, summary: summary, detail: a.diff.joined(separator: "\n"),
            filesTouched: [path], functionsHint: a.names)
    }

    /// "added refresh_token; changed verify_token" or, with no definitions in sight, "changed 3 lines".
    static func changeWords(_ a: HeuristicEditAnalysis, budget: Int) -> String {
        var parts: [String] = []
        let kinds = [a.added, a.changed, a.removed].filter { !$0.isEmpty }.count
        let each = max(12, budget / max(1, kinds) - 10)
        if !a.added.isEmpty { parts.append("added " + HeuristicText.nameList(a.added, limit: each)) }
        if !a.changed.isEmpty { parts.append("changed " + HeuristicText.nameList(a.changed, limit: each)) }
        if !a.removed.isEmpty { parts.append("removed " + HeuristicText.nameList(a.removed, limit: each)) }
        if !parts.isEmpty { return parts.joined(separator: "; ") }
        if a.minus == 0 { return "added " + HeuristicText.plural(a.plus, "line") }
        if a.plus == 0 { return "removed " + HeuristicText.plural(a.minus, "line") }
        return "changed " + HeuristicText.plural(max(a.plus, a.minus), "line")
    }

    /// Where `old` sits in the original file, so a change mid-function can be named.
    private static func context(for old: String, in original: String?) -> HeuristicEditAnalysis.Context? {
        guard let original, !old.isEmpty, let r = original.range(of: old) else { return nil }
        let offset = original[..<r.lowerBound].utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        return .init(lines: HeuristicText.lines(original), offset: offset)
    }

    // MARK: Write

    static func write(_ ctx: HeuristicContext) -> CompressedObservation {
        let path = ctx.filePath() ?? "a file"
        let content = ctx.inputText("content") ?? ctx.responseText("content") ?? ""
        let type = ctx.responseText("type")
        let patch = ctx.response["structuredPatch"]
        let isUpdate = type == "update" || (type == nil && !(patch?.arrayValue ?? []).isEmpty)
        let lineCount = HeuristicText.lineCount(content)
        let defs = CodeSymbols.definitions(in: content)
        let names = defs.map(\.name).filter { !$0.hasPrefix("__") }
        let verb = isUpdate ? "Rewrote" : "Created"
        let head = "\(verb) \(path) (\(HeuristicText.plural(lineCount, "line")))"

        if isUpdate, let sides = HeuristicEditAnalysis.patchSides(patch) {
            let contentLines = HeuristicText.lines(content)
            let a = HeuristicEditAnalysis.analyze(
                old: sides.old, new: sides.new, newContext: .init(lines: contentLines, offset: sides.newStart),
                patchLines: HeuristicEditAnalysis.patchLines(patch))
            let title = head + ": " + changeWords(a, budget: max(20, HeuristicText.titleLimit - head.count - 2))
            var summary = "\(path) rewritten, now \(HeuristicText.plural(lineCount, "line")); +\(a.plus) −\(a.minus)."
            if !a.added.isEmpty { summary += " Added " + HeuristicText.nameList(a.added, limit: 90) + "." }
            if !a.changed.isEmpty { summary += " Changed " + HeuristicText.nameList(a.changed, limit: 90) + "." }
            if !a.removed.isEmpty { summary += " Removed " + HeuristicText.nameList(a.removed, limit: 90) + "." }
            return CompressedObservation(
                title: title, summary: summary, detail: a.diff.joined(separator: "\n"),
                filesTouched: [path], functionsHint: a.names.isEmpty ? names : a.names)
        }

        let title =
            names.isEmpty
            ? head
            : head + ": " + HeuristicText.nameList(names, limit: max(20, HeuristicText.titleLimit - head.count - 2))
        var summary = "\(verb) \(path): \(HeuristicText.plural(lineCount, "line"))"
        if !defs.isEmpty { summary += ", defines " + outline(defs, limit: 200) }
        summary += "."
        let imports = importsOf(content)
        if !imports.isEmpty { summary += " Imports " + HeuristicText.nameList(imports, limit: 80) + "." }
        let detail = HeuristicText.lines(content).prefix(40).map(String.init).joined(separator: "\n")
        return CompressedObservation(
            title: title, summary: summary, detail: detail, filesTouched: [path],
            functionsHint: names)
    }

    // MARK: NotebookEdit

    static func notebookEdit(_ ctx: HeuristicContext) -> CompressedObservation {
        let path = ctx.filePath(inputKey: "notebook_path", responseKey: "notebook_path") ?? "a notebook"
        let source = ctx.inputText("new_source") ?? ctx.responseText("new_source") ?? ""
        let mode = ctx.inputText("edit_mode") ?? ctx.responseText("edit_mode") ?? "replace"
        let cell = ctx.inputText("cell_id") ?? ctx.responseText("cell_id")
        let cellText = cell.map { " cell \($0)" } ?? " a cell"
        let names = CodeSymbols.definitions(in: source).map(\.name)
        var title: String
        switch mode {
        case "insert": title = "Inserted\(cell == nil ? " a cell" : cellText) in \(path)"
        case "delete": title = "Deleted\(cellText) from \(path)"
        default: title = "Edited\(cellText) of \(path)"
        }
        if !names.isEmpty { title += ": " + HeuristicText.nameList(names, limit: 40) }
        var summary = "\(path)\(cellText) (\(mode)), \(HeuristicText.plural(HeuristicText.lineCount(source), "line"))."
        if let first = HeuristicText.lines(source).first(where: { !$0.blankTrimmed.isEmpty }) {
            summary += " Starts: " + HeuristicText.oneLine(String(first), limit: 120)
        }
        if let error = ctx.responseText("error") { summary += " Error: " + HeuristicText.oneLine(error, limit: 120) }
        let detail = HeuristicText.lines(source).prefix(30).map(String.init).joined(separator: "\n")
        return CompressedObservation(title: title, summary: summary, detail: detail, filesTouched: [path], functionsHint: names)
    }

    // MARK: Read

    static func read(_ ctx: HeuristicContext) -> CompressedObservation {
        let path = ctx.filePath() ?? "a file"
        let file = ctx.response["file"] ?? ctx.response
        var content = file.heuristicText("content") ?? ctx.responseString ?? ""
        if HeuristicText.has(content, "→") || HeuristicText.has(content, "\t") {
            // Line-numbered text ("   12→code"): keep the code only.
            let stripped = HeuristicText.lines(content).map { HeuristicText.stripLineNumber($0) }
            content = stripped.joined(separator: "\n")
        }
        let numLines = file["numLines"]?.intValue ?? HeuristicText.lineCount(content)
        let startLine = file["startLine"]?.intValue ?? ctx.input["offset"]?.intValue ?? 1
        let totalLines = file["totalLines"]?.intValue
        var title = "Read \(path)"
        if let total = totalLines, startLine > 1 || numLines < total {
            title += " (lines \(startLine)-\(max(startLine, startLine + numLines - 1)) of \(total))"
        } else if numLines > 0 {
            title += " (\(HeuristicText.plural(numLines, "line")))"
        }
        let defs = CodeSymbols.definitions(in: content)
        var summary: String
        if defs.isEmpty {
            let first = HeuristicText.lines(content).first(where: { !$0.blankTrimmed.isEmpty })
            summary = "\(path)" + (first.map { ": " + HeuristicText.oneLine(String($0), limit: 160) } ?? ".")
        } else {
            summary = "\(path) defines " + outline(defs, limit: 240) + "."
        }
        let lines = HeuristicText.lines(content)
        let detail: String
        if defs.isEmpty {
            detail = lines.prefix(25).map(String.init).joined(separator: "\n")
        } else {
            detail = defs.prefix(40).map { d in
                "L\(startLine + d.line): " + lines[d.line].blankTrimmed
            }.joined(separator: "\n")
        }
        return CompressedObservation(
            title: title, summary: summary, detail: detail, filesTouched: [path],
            functionsHint: defs.map(\.name))
    }

    // MARK: helpers

    /// "AuthService (login, verify_token), create_app": outer definitions with their members.
    static func outline(_ defs: [CodeSymbols.Definition], limit: Int) -> String {
        guard let minIndent = defs.map(\.indent).min() else { return "" }
        var groups: [(String, [String])] = []
        for d in defs {
            if d.indent == minIndent || groups.isEmpty {
                groups.append((d.name, []))
            } else if !d.name.hasPrefix("__") || d.name == "__init__" {
                groups[groups.count - 1].1.append(d.name)
            }
        }
        let pieces = groups.map { name, members in
            members.isEmpty ? name : name + " (" + HeuristicText.nameList(members, limit: 110) + ")"
        }
        return HeuristicText.nameList(pieces, limit: limit)
    }

    /// Module names a file imports (Python, Swift, JS/TS, Go single-line forms).
    static func importsOf(_ content: String) -> [String] {
        var out: [String] = []
        for line in HeuristicText.lines(content).prefix(200) {
            let t = line.blankTrimmed
            var name: Substring?
            if t.hasPrefix("from "), let r = t.range(of: " import ") {
                name = t[t.index(t.startIndex, offsetBy: 5)..<r.lowerBound]
            } else if t.hasPrefix("import ") {
                let rest = t.dropFirst(7)
                if let from = rest.range(of: " from ") {
                    name = rest[from.upperBound...].trimming(charactersIn: "'\";").prefix(80)
                } else {
                    name = rest.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).first
                }
            }
            if let n = name?.trimming(charactersIn: " '\""), !n.isEmpty, !out.contains(n) {
                out.append(n)
            }
        }
        return out
    }
}
