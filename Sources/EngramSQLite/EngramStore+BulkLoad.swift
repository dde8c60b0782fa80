import EngramModel
import GRDB

/// Bulk loading and raw reads for lab equipment (the synthetic corpus, `engram-bench`): rows written straight into
/// the tables with one prepared statement per table, in the caller's transaction size, bypassing capture and
/// processing (no events, no touch of a session). Never used by the product's own paths.
extension EngramStore {
    /// Writes `sessions` (one already stored is left as it is) and `observations` (their ids assigned by the store) in
    /// one transaction.
    package func load(sessions: [SessionRecord], observations: [ObservationRecord]) throws {
        try writer.write { db in
            let session = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO sessions (id, project, started_at, updated_at, status, summary_text) VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for s in sessions {
                try session.execute(arguments: [s.id, s.project, s.startedAt, s.updatedAt, s.status, s.summaryText])
            }
            for var o in observations {
                o.id = nil
                try o.insertRow(db)
            }
        }
    }

    /// Writes `items` into the capture queue in one transaction, as they are (status and attempts included).
    package func load(queueItems items: [QueueItem]) throws {
        try writer.write { db in
            let stmt = try db.makeStatement(
                sql: """
                    INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, tool_name, payload, raw_size_bytes, status, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for i in items {
                try stmt.execute(arguments: [
                    i.createdAt, i.updatedAt, i.sessionId, i.project, i.hookType, i.toolName, i.payload, i.rawSizeBytes,
                    i.status.rawValue, i.attempts,
                ])
            }
        }
    }

    /// How many keyword-index rows an FTS5 MATCH `expression` finds, of every project and kind (a benchmark's
    /// "how selective is this query").
    package func keywordMatches(_ expression: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM memory_fts WHERE memory_fts MATCH ?", arguments: [expression]) ?? 0
        }
    }

    /// The keyword index's rows by rowid: the text each record is indexed (and embedded) under.
    package func keywordDocuments() throws -> [Int64: KeywordDocument] {
        try writer.read { db in
            var out: [Int64: KeywordDocument] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT rowid, project, title, body, files FROM memory_fts")
            while let r = try rows.next() {
                out[r["rowid"]] = KeywordDocument(
                    project: r["project"] ?? "", title: r["title"] ?? "", body: r["body"] ?? "", files: r["files"] ?? "")
            }
            return out
        }
    }

    /// One keyword-index row's columns.
    package struct KeywordDocument: Sendable {
        package var project: String
        package var title: String
        package var body: String
        package var files: String
    }
}
