import EngramModel
import GRDB

package struct SQLiteTimelineStore: TimelineStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func around(time: String, anchorObservation anchorID: Int64?, project: String?, before: Int, after: Int) throws
        -> (earlier: [TimelineEntry], later: [TimelineEntry])
    {
        let before = max(0, before), after = max(0, after)
        return try writer.read { db in
            // One union over the three sources, ordered by time then a tiebreak that keeps an
            // observation's position stable among same-millisecond neighbours; same-time prompts keep their order.
            let projectFilter = project == nil ? "" : " AND project = :project"
            let union = """
                SELECT '#' || id AS id, 'observation' AS kind, created_at, title, session_id, files_touched AS files, id AS tiebreak, 0 AS seq
                  FROM observations WHERE 1 = 1\(projectFilter)
                UNION ALL
                SELECT 'session:' || p.session_id, 'prompt', p.created_at, substr(p.prompt, 1, 160), p.session_id, '[]', 0, p.id
                  FROM user_prompts p JOIN sessions s ON s.id = p.session_id WHERE 1 = 1\(project == nil ? "" : " AND s.project = :project")
                UNION ALL
                SELECT 'session:' || id, 'session_start', started_at, 'Session started' || coalesce(' (' || source || ')', ''), id, '[]', -1, 0
                  FROM sessions WHERE 1 = 1\(projectFilter)
                UNION ALL
                SELECT 'session:' || id, 'session_end', ended_at, 'Session ended' || coalesce(' (' || end_reason || ')', ''), id, '[]', 9223372036854775807, 0
                  FROM sessions WHERE ended_at IS NOT NULL\(projectFilter)
                """
            var args: [String: (any DatabaseValueConvertible)?] = ["time": time, "anchor": anchorID ?? -1]
            if let project { args["project"] = project }
            let earlier = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (\(union)) WHERE created_at < :time OR (created_at = :time AND tiebreak < :anchor)
                    ORDER BY created_at DESC, tiebreak DESC, seq DESC LIMIT \(before)
                    """, arguments: StatementArguments(args))
            let later = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (\(union)) WHERE created_at > :time OR (created_at = :time AND tiebreak \(anchorID == nil ? ">=" : ">") :anchor)
                    ORDER BY created_at, tiebreak, seq LIMIT \(after)
                    """, arguments: StatementArguments(args))
            return (earlier.reversed().map(Self.entry), later.map(Self.entry))
        }
    }

    private static func entry(_ row: Row) -> TimelineEntry {
        TimelineEntry(
            id: row["id"], kind: row["kind"], createdAt: row["created_at"], title: row["title"], sessionId: row["session_id"],
            files: JSONList.decode(row["files"]), isAnchor: false)
    }
}
