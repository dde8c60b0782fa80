import EngramModel
import GRDB

/// Rows of `event_log`, written inside the transaction of the change they tell of.
package enum SQLiteEvents {
    /// Inserts `events`, each at its own timestamp (`now` for those without one); returns each one's data as
    /// serialized for its row, so a caller writing the same events elsewhere need not serialize them again.
    @discardableResult
    package static func insert(_ events: [EngramEvent], now: String, in db: Database) throws -> [String] {
        guard !events.isEmpty else { return [] }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO event_log (timestamp, session_id, project, event_type, data, duration_ms, tokens_in, tokens_out)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var data: [String] = []
        data.reserveCapacity(events.count)
        for event in events {
            let serialized = event.data.serialized()
            try insert.execute(arguments: [
                event.timestamp ?? now, event.sessionID, event.project, event.type, serialized,
                event.durationMs, event.tokensIn, event.tokensOut,
            ])
            data.append(serialized)
        }
        return data
    }
}
