import EngramModel
import GRDB

package struct SQLiteObservationStore: ObservationStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func observation(_ id: Int64) throws -> ObservationRecord? {
        try writer.read { db in try ObservationRecord.fetchOne(db, key: id) }
    }

    package func observations(sessionID: String, limit: Int) throws -> [ObservationRecord] {
        try writer.read { db in
            try ObservationRecord.fetchAll(
                db, sql: "SELECT * FROM observations WHERE session_id = ? ORDER BY id LIMIT ?",
                arguments: [sessionID, max(0, limit)])
        }
    }

    package func count(project: String?) throws -> Int {
        try writer.read { db in
            guard let project else { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM observations") ?? 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM observations WHERE project = ?", arguments: [project]) ?? 0
        }
    }
}
