import EngramModel
import GRDB

package struct SQLiteSessionStore: SessionStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func session(_ id: String) throws -> SessionRecord? {
        try writer.read { db in try SessionRecord.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]) }
    }

    package func prompts(sessionID: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT prompt FROM user_prompts WHERE session_id = ? ORDER BY id", arguments: [sessionID])
        }
    }

    package func saveSummary(sessionID: String, text: String, event: EngramEvent, now: String) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE sessions SET summary_text = ?, status = CASE WHEN status = 'closed' THEN status ELSE 'summarized' END, updated_at = ?
                    WHERE id = ?
                    """, arguments: [text, now, sessionID])
            guard db.changesCount > 0 else { return false }
            try SQLiteEvents.insert([event], now: now, in: db)
            return true
        }
    }

    package func addInjected(tokens: Int, sessionID: String, events: [EngramEvent], now: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE sessions SET tokens_injected = tokens_injected + ? WHERE id = ?", arguments: [tokens, sessionID])
            try SQLiteEvents.insert(events, now: now, in: db)
        }
    }

    package func count(project: String?) throws -> Int {
        try writer.read { db in
            guard let project else { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions") ?? 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE project = ?", arguments: [project]) ?? 0
        }
    }

    package func latestFocus(project: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT summary_text FROM sessions WHERE project = ? AND summary_text IS NOT NULL AND summary_text != ''
                    ORDER BY started_at DESC LIMIT 1
                    """, arguments: [project])
                ?? String.fetchOne(
                    db,
                    sql: """
                        SELECT p.prompt FROM user_prompts p JOIN sessions s ON s.id = p.session_id
                        WHERE s.project = ? ORDER BY p.created_at DESC LIMIT 1
                        """, arguments: [project])
        }
    }
}
