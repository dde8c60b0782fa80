import EngramModel
import GRDB

/// Forgetting on SQLite. FTS rows and vectors (`embeddings`) go through the delete triggers of the rows they index;
/// enrichment still owed goes by its foreign key.
package struct SQLiteForgetStore: ForgetStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func forget(_ target: ForgetTarget) throws -> [String: Int] {
        try writer.write { db in
            var counts: [String: Int] = [:]
            func run(_ table: String, _ sql: String, _ args: StatementArguments) throws {
                try db.execute(sql: sql, arguments: args)
                counts[table, default: 0] += db.changesCount
            }
            switch target {
            case .observation(let id):
                guard try ObservationRecord.exists(db, key: id) else { throw EngramError.notFound("observation #\(id)") }
                try run("pending_queue", "DELETE FROM pending_queue WHERE id = (SELECT queue_id FROM observations WHERE id = ?)", [id])
                try run("observations", "DELETE FROM observations WHERE id = ?", [id])

            case .memory(let id):
                try run("memories", "DELETE FROM memories WHERE id = ?", [id])
                guard counts["memories"] == 1 else { throw EngramError.notFound("memory M\(id)") }

            case .session(let sid):
                guard try SessionRecord.exists(db, key: ["id": sid]) else { throw EngramError.notFound("session \(sid)") }
                try deleteSessions(db, scope: ("session_id = ?", [sid]), sessions: ("session_id = ?", [sid]), run: run)
                try run("sessions", "DELETE FROM sessions WHERE id = ?", [sid])

            case .project(let root):
                let inSessions = "session_id IN (SELECT id FROM sessions WHERE project = ?)"
                try deleteSessions(db, scope: (inSessions + " OR project = ?", [root, root]), sessions: (inSessions, [root]), run: run)
                try run("learnings", "DELETE FROM learnings WHERE project = ?", [root])
                try run("memories", "DELETE FROM memories WHERE project = ?", [root])
                try run("sessions", "DELETE FROM sessions WHERE project = ?", [root])
            }
            return counts.filter { $0.value > 0 }
        }
    }

    /// Everything keyed by session (or project) that is not the sessions row itself. `scope` applies to tables with
    /// a `project` column, `sessions` (a condition on `session_id`) to the others.
    private func deleteSessions(
        _ db: Database, scope: (String, StatementArguments), sessions: (String, StatementArguments),
        run: (String, String, StatementArguments) throws -> Void
    ) throws {
        try run("observations", "DELETE FROM observations WHERE \(scope.0)", scope.1)
        try run("user_prompts", "DELETE FROM user_prompts WHERE \(sessions.0)", sessions.1)
        for table in ["pending_queue", "function_map", "call_graph", "event_log"] {
            try run(table, "DELETE FROM \(table) WHERE \(scope.0)", scope.1)
        }
    }
}
