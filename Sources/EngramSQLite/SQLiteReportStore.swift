import EngramModel
import GRDB

/// `engram report`'s figures, each report in one read transaction: in WAL mode a read sees one snapshot, so the
/// counts, the latest session and the code changes of a report agree even while the worker writes.
package struct SQLiteReportStore: ReportStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func activity(project: String?, since: String, learnings: Int) throws -> ReportActivity {
        let projectSQL = project == nil ? "" : " AND project = ?"
        func args(_ a: (any DatabaseValueConvertible)?...) -> StatementArguments {
            var all = a
            if let project { all.append(project) }
            return StatementArguments(all)
        }
        return try writer.read { db in
            let sessions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE updated_at >= ?" + projectSQL, arguments: args(since)) ?? 0
            let observations =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM observations WHERE created_at >= ?" + projectSQL,
                    arguments: args(since)) ?? 0
            var compression: ReportActivity.Compression?
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, AVG(json_extract(data, '$.ratio')) AS ratio, AVG(duration_ms) AS ms
                    FROM event_log WHERE event_type = 'compress.done' AND timestamp >= ?
                    """ + projectSQL, arguments: args(since)), let ratio: Double = row["ratio"]
            {
                compression = ReportActivity.Compression(count: row["n"], avgRatio: ratio, avgLatencyMs: row["ms"])
            }
            var latest: ReportActivity.LatestSession?
            if let s = try Row.fetchOne(
                db,
                sql: "SELECT id, project, started_at, summary_text FROM sessions WHERE updated_at >= ?"
                    + projectSQL + " ORDER BY started_at DESC, seq DESC LIMIT 1", arguments: args(since))
            {
                let id: String = s["id"]
                var files: [String] = []
                var seen = Set<String>()
                for text in try String.fetchAll(db, sql: "SELECT files_touched FROM observations WHERE session_id = ? ORDER BY id", arguments: [id]) {
                    for f in JSONList.decode(text) where seen.insert(f).inserted { files.append(f) }
                }
                latest = ReportActivity.LatestSession(
                    id: id, project: s["project"], startedAt: s["started_at"], summary: s["summary_text"], files: files)
            }
            let top = try LearningRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM learnings WHERE is_active = 1 AND (? IS NULL OR project = ? OR project IS NULL)
                    ORDER BY confidence DESC, times_seen DESC, id LIMIT ?
                    """, arguments: [project, project, max(0, learnings)])
            let changes = try SQLiteCodeMapStore.changes(db, project: project, since: since, session: nil)
            let own = try latest.map { try SQLiteCodeMapStore.changes(db, project: project, since: since, session: $0.id) } ?? []
            return ReportActivity(
                sessions: sessions, observations: observations, compression: compression, latestSession: latest,
                learnings: top, changes: changes, latestSessionChanges: own)
        }
    }

    package func evalFigures(project p: String?, since: String, unresolved: Int) throws -> EvalFigures {
        let periodArgs = StatementArguments([since] + (p.map { [$0] } ?? []))
        let projectArgs = StatementArguments(p.map { [$0] } ?? [])
        return try writer.read { db in
            func one(_ sql: String, _ args: StatementArguments) throws -> Row {
                try Row.fetchOne(db, sql: sql, arguments: args) ?? Row()
            }
            var f = EvalFigures()
            let c = try one(EvalQueries.compression(p), periodArgs)
            f.compression = EvalFigures.Average(count: c["n"] ?? 0, mean: c["avg_ms"])
            f.compressionRatio = c["avg_ratio"]
            f.compressionErrors = try Int.fetchOne(db, sql: EvalQueries.compressionErrors(p), arguments: periodArgs) ?? 0
            f.compressionByDay = try Row.fetchAll(db, sql: EvalQueries.compressionByDay(p), arguments: periodArgs).map { r in
                EvalFigures.Day(day: r["day"], count: r["n"], avgRatio: r["avg_ratio"], avgLatencyMs: r["avg_ms"])
            }
            let ctx = try one(EvalQueries.tokenBudget(p), periodArgs)
            (f.contextCount, f.avgContextTokens, f.avgContextBudget) = (ctx["n"] ?? 0, ctx["avg_tokens"], ctx["avg_budget"])
            let search = try one(EvalQueries.search(p), periodArgs)
            (f.searchCount, f.avgSearchMs, f.avgSearchResults) = (search["n"] ?? 0, search["avg_ms"], search["avg_results"])
            let scan = try one(EvalQueries.astScan(p), periodArgs)
            (f.scans, f.scanEdges, f.scanUnresolved) = (scan["n"] ?? 0, scan["edges"] ?? 0, scan["unresolved"] ?? 0)
            let g = try one(EvalQueries.astFromCallGraph(p), projectArgs)
            (f.callEdges, f.unresolvedCalls) = (g["edges"] ?? 0, g["unresolved"] ?? 0)
            f.topUnresolved = try Row.fetchAll(db, sql: EvalQueries.topUnresolved(p, limit: max(0, unresolved)), arguments: projectArgs).map { r in
                EvalFigures.UnresolvedCallee(callee: r["callee_name"], occurrences: r["occurrences"], functions: r["functions"])
            }
            let cost = try one(EvalQueries.costs(p), periodArgs)
            (f.tokenEvents, f.tokensIn, f.tokensOut, f.costUSD) = (cost["n"] ?? 0, cost["tin"] ?? 0, cost["tout"] ?? 0, cost["cost"])
            let learn = try one(EvalQueries.learnings(p), projectArgs)
            (f.activeLearnings, f.confidentLearnings, f.manualLearnings) = (learn["active"] ?? 0, learn["high"] ?? 0, learn["manual"] ?? 0)
            f.failedItems =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM pending_queue WHERE status = 'failed'\(EvalQueries.projectFilter(p))",
                    arguments: projectArgs) ?? 0
            f.lastFailure = try String.fetchOne(
                db,
                sql: """
                    SELECT error FROM pending_queue WHERE status = 'failed' AND error IS NOT NULL\(EvalQueries.projectFilter(p)) ORDER BY updated_at DESC LIMIT 1
                    """, arguments: projectArgs)
            f.lostCaptures =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COALESCE(SUM(json_extract(data, '$.lost')), 0) FROM event_log WHERE event_type = 'capture.spill' AND timestamp >= ?
                        """, arguments: [since]) ?? 0
            return f
        }
    }
}
