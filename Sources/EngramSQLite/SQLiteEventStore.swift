import EngramModel
import GRDB

package struct SQLiteEventStore: EventStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func append(_ events: [EngramEvent], now: String) throws {
        guard !events.isEmpty else { return }
        try writer.write { db in try SQLiteEvents.insert(events, now: now, in: db) }
    }

    package func recent(type: String?, limit: Int) throws -> [EngramEvent] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM event_log WHERE (? IS NULL OR event_type = ?) ORDER BY id DESC LIMIT ?
                    """, arguments: [type, type, max(0, limit)]
            ).map { r in
                EngramEvent(
                    r["event_type"], (try? JSONValue.parse(r["data"] as String? ?? "{}")) ?? [:], sessionID: r["session_id"],
                    project: r["project"], durationMs: r["duration_ms"], tokensIn: r["tokens_in"], tokensOut: r["tokens_out"],
                    timestamp: r["timestamp"])
            }
        }
    }

    package func tokens(type: String, day: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(COALESCE(tokens_in, 0) + COALESCE(tokens_out, 0)), 0) FROM event_log
                    WHERE event_type = ? AND json_extract(data, '$.day') = ?
                    """, arguments: [type, day]) ?? 0
        }
    }
}
