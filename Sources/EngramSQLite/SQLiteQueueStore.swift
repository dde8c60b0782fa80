import EngramModel
import GRDB

package struct SQLiteQueueStore: QueueStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func counts() throws -> [QueueItem.Status: Int] {
        try writer.read { db in
            var counts: [QueueItem.Status: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM pending_queue GROUP BY status") {
                guard let status = QueueItem.Status(rawValue: row["status"] ?? "") else { continue }
                counts[status] = row["n"] ?? 0
            }
            return counts
        }
    }

    package func items(sessionID: String) throws -> [QueueItem] {
        try writer.read { db in
            try QueueItem.fetchAll(db, sql: "SELECT * FROM pending_queue WHERE session_id = ? ORDER BY id", arguments: [sessionID])
        }
    }

    package func payloads(tool: String, sessionID: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT payload FROM pending_queue WHERE session_id = ? AND tool_name = ? ORDER BY id", arguments: [sessionID, tool])
        }
    }

    package func payloads(tool: String, project: String, latestSessions sessions: Int, excluding: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT payload FROM pending_queue WHERE tool_name = ? AND project = ? AND session_id IN (
                        SELECT id FROM sessions WHERE project = ? AND id != ? ORDER BY started_at DESC LIMIT ?)
                    ORDER BY id
                    """, arguments: [tool, project, project, excluding, max(0, sessions)])
        }
    }

    package func unfinished(sessionID: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM pending_queue WHERE session_id = ? AND status IN ('processing', 'pending')",
                arguments: [sessionID]) ?? 0
        }
    }
}
