import EngramCore
import Foundation

/// Runs the eval queries and assembles an `EvalDashboard`. Reads only.
package struct EvalReportBuilder: Sendable {
    let reports: any ReportStore
    let now: Date
    /// The daily event files, read for events that are not kept in the database (search queries).
    let logsDir: URL?
    package var maxUnresolved = 5

    package init(reports: any ReportStore, now: Date, logsDir: URL? = nil) {
        self.reports = reports
        self.now = now
        self.logsDir = logsDir
    }

    package func build(project: String?, since: Date, period: String) throws -> EvalDashboard {
        let sinceText = Timestamp.format(since)
        let f = try reports.evalFigures(project: project, since: sinceText, unresolved: maxUnresolved)
        // Call resolution from the scans of the period when there were any, else from the stored call graph as it is now.
        let ast =
            f.scans > 0
            ? EvalDashboard.AST(
                source: "ast.scan", callEdges: f.scanEdges, unresolved: f.scanUnresolved,
                resolutionRate: Self.rate(f.scanEdges, f.scanUnresolved))
            : EvalDashboard.AST(
                source: f.callEdges > 0 ? "call_graph" : "none", callEdges: f.callEdges, unresolved: f.unresolvedCalls,
                resolutionRate: Self.rate(f.callEdges, f.unresolvedCalls))
        let queue =
            f.failedItems + f.lostCaptures > 0
            ? EvalDashboard.Queue(failed: f.failedItems, lastError: f.lastFailure, lostCaptures: f.lostCaptures) : nil
        var dashboard = EvalDashboard(
            generatedAt: Timestamp.format(now), since: sinceText, period: period, project: project,
            compression: .init(
                count: f.compression.count, avgRatio: f.compressionRatio, avgLatencyMs: f.compression.mean,
                errors: f.compressionErrors),
            compressionByDay: f.compressionByDay.map { .init(day: $0.day, count: $0.count, avgRatio: $0.avgRatio, avgLatencyMs: $0.avgLatencyMs) },
            context: .init(count: f.contextCount, avgTokens: f.avgContextTokens, avgBudget: f.avgContextBudget),
            search: .init(count: f.searchCount, avgLatencyMs: f.avgSearchMs, avgResults: f.avgSearchResults),
            ast: ast,
            costs: .init(apiCalls: f.tokenEvents, tokensIn: f.tokensIn, tokensOut: f.tokensOut, estimatedCostUSD: f.costUSD),
            learnings: .init(active: f.activeLearnings, highConfidence: f.confidentLearnings, manual: f.manualLearnings),
            topUnresolvedCalls: f.topUnresolved.map { .init(callee: $0.callee, occurrences: $0.occurrences, functions: $0.functions) },
            queue: queue)
        if dashboard.search.count == 0, let logsDir {
            let events = EventFileReader(logsDir: logsDir).events(type: "search.query", since: sinceText, project: project)
            dashboard.search = Self.searchStats(events)
        }
        return dashboard
    }

    static func searchStats(_ events: [EventFileReader.Event]) -> EvalDashboard.Search {
        let latencies = events.compactMap(\.durationMs)
        let results = events.compactMap { $0.data["result_count"]?.intValue }
        func avg(_ xs: [Int]) -> Double? { xs.isEmpty ? nil : Double(xs.reduce(0, +)) / Double(xs.count) }
        return EvalDashboard.Search(count: events.count, avgLatencyMs: avg(latencies), avgResults: avg(results))
    }

    /// 1 − unresolved / edges (the seed's resolution rate); nil without edges.
    static func rate(_ edges: Int, _ unresolved: Int) -> Double? {
        edges > 0 ? 1 - Double(unresolved) / Double(edges) : nil
    }
}
