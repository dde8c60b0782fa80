import EngramCore
import Foundation
import GRDB
import EngramSQLite

/// Runs the eval queries and assembles an `EvalDashboard`. Reads only.
public struct EvalReportBuilder: Sendable {
    let store: EngramStore
    let now: Date
    /// The daily event files, read for events that are not kept in the database (search queries).
    let logsDir: URL?
    public var maxUnresolved = 5

    public init(store: EngramStore, now: Date, logsDir: URL? = nil) {
        self.store = store
        self.now = now
        self.logsDir = logsDir
    }

    public func build(project: String?, since: Date, period: String) throws -> EvalDashboard {
        let sinceText = Timestamp.format(since)
        let p = project
        let periodArgs = StatementArguments([sinceText] + (p.map { [$0] } ?? []))
        let projectArgs = StatementArguments(p.map { [$0] } ?? [])
        var dashboard = try store.writer.read { db in
            func one(_ sql: String, _ args: StatementArguments) throws -> Row {
                try Row.fetchOne(db, sql: sql, arguments: args) ?? Row()
            }
            let c = try one(EvalQueries.compression(p), periodArgs)
            let errors = try Int.fetchOne(db, sql: EvalQueries.compressionErrors(p), arguments: periodArgs) ?? 0
            let days = try Row.fetchAll(db, sql: EvalQueries.compressionByDay(p), arguments: periodArgs).map { r in
                EvalDashboard.CompressionDay(day: r["day"], count: r["n"], avgRatio: r["avg_ratio"], avgLatencyMs: r["avg_ms"])
            }
            let ctx = try one(EvalQueries.tokenBudget(p), periodArgs)
            let search = try one(EvalQueries.search(p), periodArgs)

            let scan = try one(EvalQueries.astScan(p), periodArgs)
            var ast: EvalDashboard.AST
            if let n: Int = scan["n"], n > 0 {
                let edges: Int = scan["edges"] ?? 0
                let unresolved: Int = scan["unresolved"] ?? 0
                ast = EvalDashboard.AST(source: "ast.scan", callEdges: edges, unresolved: unresolved, resolutionRate: Self.rate(edges, unresolved))
            } else {
                let g = try one(EvalQueries.astFromCallGraph(p), projectArgs)
                let edges: Int = g["edges"] ?? 0
                let unresolved: Int = g["unresolved"] ?? 0
                ast = EvalDashboard.AST(source: edges > 0 ? "call_graph" : "none", callEdges: edges, unresolved: unresolved,
                                        resolutionRate: Self.rate(edges, unresolved))
            }

            let cost = try one(EvalQueries.costs(p), periodArgs)
            let learn = try one(EvalQueries.learnings(p), projectArgs)
            let unresolved = try Row.fetchAll(db, sql: EvalQueries.topUnresolved(p, limit: maxUnresolved), arguments: projectArgs).map { r in
                EvalDashboard.UnresolvedCall(callee: r["callee_name"], occurrences: r["occurrences"], functions: r["functions"])
            }
            let failed = try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status = 'failed'\(EvalQueries.projectFilter(p))",
                                          arguments: projectArgs) ?? 0
            let lastError = try String.fetchOne(db, sql: """
                SELECT error FROM pending_queue WHERE status = 'failed' AND error IS NOT NULL\(EvalQueries.projectFilter(p)) ORDER BY updated_at DESC LIMIT 1
                """, arguments: projectArgs)
            let lost = try Int.fetchOne(db, sql: """
                SELECT COALESCE(SUM(json_extract(data, '$.lost')), 0) FROM event_log WHERE event_type = 'capture.spill' AND timestamp >= ?
                """, arguments: [sinceText]) ?? 0
            let queue = failed + lost > 0 ? EvalDashboard.Queue(failed: failed, lastError: lastError, lostCaptures: lost) : nil
            return EvalDashboard(
                generatedAt: Timestamp.format(now), since: sinceText, period: period, project: project,
                compression: .init(count: c["n"] ?? 0, avgRatio: c["avg_ratio"], avgLatencyMs: c["avg_ms"], errors: errors),
                compressionByDay: days,
                context: .init(count: ctx["n"] ?? 0, avgTokens: ctx["avg_tokens"], avgBudget: ctx["avg_budget"]),
                search: .init(count: search["n"] ?? 0, avgLatencyMs: search["avg_ms"], avgResults: search["avg_results"]),
                ast: ast,
                costs: .init(apiCalls: cost["n"] ?? 0, tokensIn: cost["tin"] ?? 0, tokensOut: cost["tout"] ?? 0, estimatedCostUSD: cost["cost"]),
                learnings: .init(active: learn["active"] ?? 0, highConfidence: learn["high"] ?? 0, manual: learn["manual"] ?? 0),
                topUnresolvedCalls: unresolved, queue: queue)
        }
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
