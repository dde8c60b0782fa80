import EngramModel
import GRDB

package struct SQLiteSessionStore: SessionStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func session(_ id: String) throws -> SessionRecord? {
        try writer.read { db in try SessionRecord.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]) }
    }

    package func prompts(sessionID: String) throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "SELECT prompt FROM user_prompts WHERE session_id = ? ORDER BY id", arguments: [sessionID]) }
    }
}
