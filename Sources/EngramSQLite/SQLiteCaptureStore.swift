import EngramModel
import GRDB

/// Capture on SQLite: plain cached statements, since a hook process is short-lived and the record API would read
/// the tables' schema first, in every hook.
package struct SQLiteCaptureStore: CaptureStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func touchSession(_ id: String, project: String, source: String?, transcriptPath: String?, now: String) throws {
        try writer.write { db in try Self.touchSession(id, project: project, source: source, transcriptPath: transcriptPath, now: now, in: db) }
    }

    /// `touchSession` inside a transaction of the caller (the queue processor's batch).
    package static func touchSession(
        _ id: String, project: String, source: String? = nil, transcriptPath: String? = nil,
        now: String, in db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO sessions (id, project, started_at, updated_at, status, source, transcript_path)
                VALUES (?, ?, ?, ?, 'active', ?, ?)
                ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at,
                    source = coalesce(excluded.source, sessions.source),
                    transcript_path = coalesce(excluded.transcript_path, sessions.transcript_path),
                    status = CASE WHEN sessions.status = 'closed' THEN 'active' ELSE sessions.status END,
                    ended_at = CASE WHEN sessions.status = 'closed' THEN NULL ELSE sessions.ended_at END
                """
        ).execute(arguments: [id, project, now, now, source, transcriptPath])
    }

    package func enqueue(_ item: NewQueueItem, event: EngramEvent, now: String) throws -> Int64 {
        try writer.write { db in
            try Self.touchSession(item.sessionID, project: item.project, now: now, in: db)
            try db.cachedStatement(
                sql: """
                    INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, tool_name, payload,
                                               raw_size_bytes, status, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0)
                    """
            ).execute(arguments: [now, now, item.sessionID, item.project, item.hookType, item.toolName, item.payload, item.rawSize])
            let id = db.lastInsertedRowID
            try SQLiteEvents.insert([event], now: now, in: db)
            return id
        }
    }

    package func recordPrompt(sessionID: String, project: String, prompt: String?, promptID: String?, now: String) throws {
        try writer.write { db in
            try Self.touchSession(sessionID, project: project, now: now, in: db)
            guard let prompt else { return }
            try db.execute(
                sql: "INSERT INTO user_prompts (session_id, created_at, prompt, prompt_id) VALUES (?, ?, ?, ?)",
                arguments: [sessionID, now, prompt, promptID])
            try db.execute(sql: "UPDATE sessions SET prompt_count = prompt_count + 1, updated_at = ? WHERE id = ?", arguments: [now, sessionID])
        }
    }

    package func recordStop(sessionID: String, project: String, lastAssistantMessage: String?, now: String) throws {
        try writer.write { db in
            try Self.touchSession(sessionID, project: project, now: now, in: db)
            try db.execute(
                sql: "UPDATE sessions SET last_assistant_message = coalesce(?, last_assistant_message), updated_at = ? WHERE id = ?",
                arguments: [lastAssistantMessage, now, sessionID])
        }
    }

    package func closeSession(_ id: String, reason: String?, now: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE sessions SET status = 'closed', ended_at = ?, end_reason = ?, updated_at = ? WHERE id = ?",
                arguments: [now, reason, now, id])
        }
    }
}
