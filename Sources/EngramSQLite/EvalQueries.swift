/// The seed's eval queries (`engram report --eval`), built into the binary. Each takes `since` (ISO 8601) as its first
/// argument; `projectFilter` adds `AND project = ?` when a project is given.
enum EvalQueries {
    static func projectFilter(_ project: String?, column: String = "project") -> String {
        project == nil ? "" : " AND \(column) = ?"
    }

    /// Compression efficiency over the period.
    static func compression(_ p: String?) -> String {
        """
        SELECT COUNT(*) AS n, AVG(json_extract(data, '$.ratio')) AS avg_ratio, AVG(duration_ms) AS avg_ms
        FROM event_log WHERE event_type = 'compress.done' AND timestamp >= ?\(projectFilter(p))
        """
    }

    static func compressionErrors(_ p: String?) -> String {
        "SELECT COUNT(*) FROM event_log WHERE event_type = 'compress.error' AND timestamp >= ?\(projectFilter(p))"
    }

    /// Compression efficiency per day.
    static func compressionByDay(_ p: String?) -> String {
        """
        SELECT date(timestamp) AS day, COUNT(*) AS n, AVG(json_extract(data, '$.ratio')) AS avg_ratio, AVG(duration_ms) AS avg_ms
        FROM event_log WHERE event_type = 'compress.done' AND timestamp >= ?\(projectFilter(p))
        GROUP BY day ORDER BY day
        """
    }

    /// Token budget usage.
    static func tokenBudget(_ p: String?) -> String {
        """
        SELECT COUNT(*) AS n, AVG(json_extract(data, '$.total_tokens')) AS avg_tokens, AVG(json_extract(data, '$.budget')) AS avg_budget
        FROM event_log WHERE event_type = 'context.token_budget' AND timestamp >= ?\(projectFilter(p))
        """
    }

    /// Search latency and result counts.
    static func search(_ p: String?) -> String {
        """
        SELECT COUNT(*) AS n, AVG(duration_ms) AS avg_ms, AVG(json_extract(data, '$.result_count')) AS avg_results
        FROM event_log WHERE event_type = 'search.query' AND timestamp >= ?\(projectFilter(p))
        """
    }

    /// AST resolution accuracy from scan events.
    static func astScan(_ p: String?) -> String {
        """
        SELECT COUNT(*) AS n, SUM(json_extract(data, '$.call_edges')) AS edges, SUM(json_extract(data, '$.unresolved_calls')) AS unresolved
        FROM event_log WHERE event_type = 'ast.scan' AND timestamp >= ?\(projectFilter(p))
        """
    }

    /// The latest call-graph snapshot of every file (so a file scanned ten times counts once): the
    /// code as it is now, whatever the period. Takes only the project argument.
    static func latestCalls(_ p: String?) -> String {
        """
        SELECT cg.* FROM call_graph cg
        JOIN (SELECT project, caller_file, MAX(snapshot_at) AS snap FROM call_graph GROUP BY project, caller_file) latest
          ON latest.project = cg.project AND latest.caller_file = cg.caller_file AND latest.snap = cg.snapshot_at
        WHERE 1\(projectFilter(p, column: "cg.project"))
        """
    }

    static func astFromCallGraph(_ p: String?) -> String {
        "SELECT COUNT(*) AS edges, COALESCE(SUM(resolution = 'unresolved'), 0) AS unresolved FROM (\(latestCalls(p)))"
    }

    /// Unresolved calls, grouped by what the code says, with the distinct functions making them.
    static func topUnresolved(_ p: String?, limit: Int) -> String {
        """
        SELECT callee_name, COUNT(*) AS occurrences, COUNT(DISTINCT caller_file || '::' || caller_name) AS functions
        FROM (\(latestCalls(p))) WHERE resolution = 'unresolved'
        GROUP BY callee_name ORDER BY occurrences DESC, functions DESC, callee_name LIMIT \(limit)
        """
    }

    /// LLM token use and spend: any event carrying token counts.
    static func costs(_ p: String?) -> String {
        """
        SELECT COUNT(*) AS n, COALESCE(SUM(tokens_in), 0) AS tin, COALESCE(SUM(tokens_out), 0) AS tout,
               SUM(json_extract(data, '$.cost_usd')) AS cost
        FROM event_log WHERE (tokens_in IS NOT NULL OR tokens_out IS NOT NULL) AND timestamp >= ?\(projectFilter(p))
        """
    }

    /// Learning counts (current state, not limited to the period). Takes only the project argument.
    static func learnings(_ p: String?) -> String {
        """
        SELECT COUNT(*) AS active, COALESCE(SUM(confidence >= 0.85), 0) AS high, COALESCE(SUM(is_manual), 0) AS manual
        FROM learnings WHERE is_active = 1\(p == nil ? "" : " AND (project = ? OR project IS NULL)")
        """
    }
}
