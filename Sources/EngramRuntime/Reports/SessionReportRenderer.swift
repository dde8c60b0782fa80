import Foundation

/// Renders a `SessionReport` for a terminal (the seed's box) or as Markdown with a Mermaid block.
package struct SessionReportRenderer: Sendable {
    package var style: ReportStyle
    /// How many of the latest session's files are named before "+N more".
    package var maxFiles = 8

    package init(style: ReportStyle = .plain) { self.style = style }

    static let marks = ["new": "NEW", "modified": "MOD", "deleted": "DEL"]

    func title(_ r: SessionReport) -> String { "Session Report: " + String(r.generatedAt.prefix(10)) }

    func periodLine(_ r: SessionReport) -> String { "Period: last \(r.period) (since \(ReportNumbers.minute(r.since)))" }

    func functionsLine(_ r: SessionReport) -> String {
        "Functions changed: \(r.functionsNew) new, \(r.functionsModified) modified, \(r.functionsDeleted) deleted"
    }

    func compressionLine(_ r: SessionReport) -> String {
        guard let c = r.compression else { return "Compression ratio: n/a (nothing compressed)" }
        return "Compression ratio: \(ReportNumbers.ratio(c.avgRatio)) avg" + (c.avgLatencyMs.map { " (\(ReportNumbers.ms($0)) avg)" } ?? "")
    }

    func filesText(_ files: [String]) -> String {
        let shown = files.prefix(maxFiles).joined(separator: ", ")
        return files.count > maxFiles ? shown + " (+\(files.count - maxFiles) more)" : shown
    }

    func learningLine(_ l: SessionReport.Learning) -> String {
        "[\(String(format: "%.2f", l.confidence))] \(l.category.capitalized): \(l.content)"
    }

    /// The terminal report: one box, sections as in the seed.
    package func terminal(_ r: SessionReport) -> String {
        var lines: [BoxLine] = [.blank]
        if let p = r.project { lines.append(BoxLine(text: "Project: \(p)", hangingIndent: 9)) }
        lines.append(BoxLine(text: periodLine(r)))
        lines.append(BoxLine(text: "Sessions: \(r.sessions)"))
        lines.append(BoxLine(text: "Observations captured: \(r.observations)"))
        lines.append(BoxLine(text: functionsLine(r)))
        lines.append(BoxLine(text: compressionLine(r)))
        lines.append(.blank)
        lines.append(.heading("Latest Session"))
        if let s = r.latestSession {
            for para in (s.summary ?? "(no summary yet)").split(separator: "\n", omittingEmptySubsequences: true) {
                lines.append(BoxLine(text: String(para)))
            }
            lines.append(BoxLine(text: "Files: " + (s.files.isEmpty ? "none" : filesText(s.files)), hangingIndent: 7))
        } else {
            lines.append(BoxLine(text: "No session in this period."))
        }
        lines.append(.blank)
        lines.append(.heading("Function Changes"))
        if r.functionChanges.isEmpty { lines.append(BoxLine(text: "None recorded.")) }
        for c in r.functionChanges {
            let mark = (Self.marks[c.change] ?? c.change.uppercased()).padding(toLength: 7, withPad: " ", startingAt: 0)
            lines.append(BoxLine(text: mark + c.signature, kind: .change(c.change, markWidth: 3), hangingIndent: 7))
        }
        if r.moreFunctionChanges > 0 { lines.append(BoxLine(text: "… and \(r.moreFunctionChanges) more")) }
        if let g = r.callGraph {
            lines.append(.blank)
            lines.append(.heading("Call Graph (\(g.file))"))
            lines.append(.blank)
            lines += CallTreeRenderer.lines(g).map { BoxLine(text: $0, hangingIndent: 9) }
        }
        lines.append(.blank)
        lines.append(.heading("Active Learnings (top \(r.learnings.count))"))
        if r.learnings.isEmpty { lines.append(BoxLine(text: "None yet.")) }
        for l in r.learnings { lines.append(BoxLine(text: learningLine(l), hangingIndent: 7)) }
        lines.append(.blank)
        return BoxRenderer(style: style).render(title: title(r), lines: lines)
    }

    /// The same report as Markdown; `mermaid` (the changed-code graph) goes in a fenced block.
    package func markdown(_ r: SessionReport, mermaid: String?) -> String {
        func code(_ s: String) -> String { "`" + s.replacingOccurrences(of: "`", with: "'") + "`" }
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var md = "# \(title(r))\n\n"
        if let p = r.project { md += "- Project: \(code(p))\n" }
        md += "- \(periodLine(r))\n- Sessions: \(r.sessions)\n- Observations captured: \(r.observations)\n"
        md += "- \(functionsLine(r))\n- \(compressionLine(r))\n\n"
        md += "## Latest Session\n\n"
        if let s = r.latestSession {
            md += (s.summary ?? "(no summary yet)") + "\n\n"
            md += "Files: " + (s.files.isEmpty ? "none" : s.files.map(code).joined(separator: ", ")) + "\n\n"
        } else {
            md += "No session in this period.\n\n"
        }
        md += "## Function Changes\n\n"
        if r.functionChanges.isEmpty {
            md += "None recorded.\n\n"
        } else {
            md += "| Change | Function | File |\n|---|---|---|\n"
            for c in r.functionChanges {
                md += "| \(Self.marks[c.change] ?? c.change) | \(cell(code(c.signature))) | \(cell(code(c.file))) |\n"
            }
            if r.moreFunctionChanges > 0 { md += "\n… and \(r.moreFunctionChanges) more.\n" }
            md += "\n"
        }
        if let mermaid, mermaid.contains("-->") || mermaid.contains("subgraph") {
            md += "## Call Graph (changed code)\n\n```mermaid\n" + mermaid + (mermaid.hasSuffix("\n") ? "" : "\n") + "```\n\n"
        }
        if let g = r.callGraph {
            md += "## Call Graph (\(code(g.file)))\n\n```text\n" + CallTreeRenderer.lines(g).joined(separator: "\n") + "\n```\n\n"
        }
        md += "## Active Learnings (top \(r.learnings.count))\n\n"
        if r.learnings.isEmpty { md += "None yet.\n" }
        for l in r.learnings { md += "- " + learningLine(l) + "\n" }
        return md
    }
}
