import EngramModel
import GRDB

/// Rows of `event_log`, written inside the transaction of the change they tell of.
package enum SQLiteEvents {
    /// Inserts `events`, each at its own timestamp (`now` for those without one).
    package static func insert(_ events: [EngramEvent], now: String, in db: Database) throws {
        guard !events.isEmpty else { return }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO event_log (timestamp, session_id, project, event_type, data, duration_ms, tokens_in, tokens_out)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for event in events {
            try insert.execute(arguments: [event.timestamp ?? now, event.sessionID, event.project, event.type, event.data.serialized(),
                                           event.durationMs, event.tokensIn, event.tokensOut])
        }
    }
}
