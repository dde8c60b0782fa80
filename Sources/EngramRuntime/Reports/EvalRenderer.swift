import Foundation

/// Renders an `EvalDashboard` as the seed's "Performance Eval" box.
package struct EvalRenderer: Sendable {
    package var style: ReportStyle

    package init(style: ReportStyle = .plain) { self.style = style }

    package func terminal(_ d: EvalDashboard) -> String {
        var lines: [BoxLine] = [.blank]
        if let p = d.project { lines.append(BoxLine(text: "Project: \(p)", hangingIndent: 9)) }
        lines.append(BoxLine(text: "Period: last \(d.period) (since \(ReportNumbers.minute(d.since)))"))
        lines.append(.blank)

        let c = d.compression
        if c.count > 0 {
            var s = "Compression    avg ratio: \(c.avgRatio.map(ReportNumbers.ratio) ?? "n/a")"
            s += "  avg latency: \(c.avgLatencyMs.map(ReportNumbers.ms) ?? "n/a")  (\(c.count) \(c.count == 1 ? "run" : "runs")"
            s += c.errors > 0 ? ", \(c.errors) failed)" : ")"
            lines.append(BoxLine(text: s, hangingIndent: 15))
        } else {
            lines.append(BoxLine(text: "Compression    nothing compressed" + (c.errors > 0 ? " (\(c.errors) failed)" : "")))
        }
        if let q = d.queue {
            var s = "Failed items   \(q.failed) set aside after every attempt"
            if let e = q.lastError { s += " (last: \(e.count > 120 ? String(e.prefix(120)) + "…" : e))" }
            if q.lostCaptures > 0 { s += "; \(q.lostCaptures) captures lost (disk full)" }
            lines.append(BoxLine(text: s, hangingIndent: 15))
        }
        if d.context.count > 0 {
            lines.append(
                BoxLine(
                    text: "Context inject avg tokens: \(d.context.avgTokens.map { ReportNumbers.grouped(Int($0.rounded())) } ?? "n/a")"
                        + "  budget: \(d.context.avgBudget.map { ReportNumbers.grouped(Int($0.rounded())) } ?? "n/a")", hangingIndent: 15))
        } else {
            lines.append(BoxLine(text: "Context inject no briefings"))
        }
        if d.search.count > 0 {
            lines.append(
                BoxLine(
                    text: "Search         avg latency: \(d.search.avgLatencyMs.map(ReportNumbers.ms) ?? "n/a")"
                        + "  avg results: \(d.search.avgResults.map(ReportNumbers.oneDecimal) ?? "n/a")  (\(d.search.count) queries)",
                    hangingIndent: 15))
        } else {
            lines.append(BoxLine(text: "Search         no queries"))
        }
        if let rate = d.ast.resolutionRate {
            let resolved = d.ast.callEdges - d.ast.unresolved
            lines.append(
                BoxLine(
                    text: "AST resolution rate: \(Int((rate * 100).rounded()))%  (\(ReportNumbers.grouped(resolved)) of "
                        + "\(ReportNumbers.grouped(d.ast.callEdges)) calls resolved)", hangingIndent: 15))
        } else {
            lines.append(BoxLine(text: "AST resolution rate: n/a (no calls recorded)"))
        }
        lines.append(.blank)

        lines.append(BoxLine(text: "Token costs:"))
        let k = d.costs
        lines.append(BoxLine(text: "  LLM API calls: \(ReportNumbers.grouped(k.apiCalls))"))
        if k.apiCalls > 0 {
            lines.append(
                BoxLine(text: "  ~Est. tokens consumed: \(ReportNumbers.compact(k.tokensIn)) input + \(ReportNumbers.compact(k.tokensOut)) output"))
            lines.append(BoxLine(text: "  ~Est. cost: " + (k.estimatedCostUSD.map(Self.dollars) ?? "n/a (no prices recorded)")))
        } else {
            lines.append(BoxLine(text: "  (heuristic compression only: no spend)"))
        }
        lines.append(.blank)

        let l = d.learnings
        lines.append(BoxLine(text: "Learnings: \(l.active) active (\(l.highConfidence) high-confidence, \(l.manual) manual)"))
        lines.append(.blank)

        if !d.topUnresolvedCalls.isEmpty {
            lines.append(BoxLine(text: "Top unresolved calls (candidates for type hints):"))
            let width = d.topUnresolvedCalls.map(\.callee.count).max() ?? 0
            for u in d.topUnresolvedCalls {
                let name = u.callee.padding(toLength: max(width, u.callee.count), withPad: " ", startingAt: 0)
                lines.append(
                    BoxLine(
                        text: "  \(name) — seen \(u.occurrences) \(u.occurrences == 1 ? "time" : "times") across "
                            + "\(u.functions) \(u.functions == 1 ? "function" : "functions")", hangingIndent: 4))
            }
            lines.append(.blank)
        }
        return BoxRenderer(style: style).render(title: "Performance Eval", lines: lines)
    }

    /// "$0.05"; below a cent three decimals ("$0.007"), so small spend does not read as zero.
    static func dollars(_ v: Double) -> String {
        v > 0 && v < 0.01 ? String(format: "$%.3f", v) : String(format: "$%.2f", v)
    }
}
