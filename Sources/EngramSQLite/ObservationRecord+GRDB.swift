import EngramModel
import GRDB

/// Column mapping written out rather than derived from Codable: every processed item is inserted and every
/// search hit read through these, and the Codable bridge showed up in the processing profile.
extension ObservationRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "observations"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["queue_id"] = queueId
        container["session_id"] = sessionId
        container["project"] = project
        container["created_at"] = createdAt
        container["hook_type"] = hookType
        container["tool_name"] = toolName
        container["title"] = title
        container["summary"] = summary
        container["detail"] = detail
        container["files_touched"] = filesTouched
        container["functions_changed"] = functionsChanged
        container["raw_size_bytes"] = rawSizeBytes
        container["compressed_tokens"] = compressedTokens
        container["compression_time_ms"] = compressionTimeMs
        container["compressor"] = compressor
        container["prompt_id"] = promptId
    }

    /// Inserts the record with one cached statement (the record API rebuilds its INSERT per call) and sets `id`.
    public mutating func insertRow(_ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO observations (queue_id, session_id, project, created_at, hook_type, tool_name, title, summary, detail,
                                          files_touched, functions_changed, raw_size_bytes, compressed_tokens, compression_time_ms, compressor,
                                          prompt_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            queueId, sessionId, project, createdAt, hookType, toolName, title, summary, detail,
            filesTouched, functionsChanged, rawSizeBytes, compressedTokens, compressionTimeMs, compressor,
            promptId,
        ])
        id = db.lastInsertedRowID
    }

    public init(row: Row) throws {
        self.init(
            id: row["id"], queueId: row["queue_id"], sessionId: row["session_id"] ?? "", project: row["project"] ?? "",
            createdAt: row["created_at"] ?? "", hookType: row["hook_type"] ?? "", toolName: row["tool_name"], title: row["title"] ?? "",
            summary: row["summary"] ?? "", detail: row["detail"], filesTouched: row["files_touched"] ?? "[]",
            functionsChanged: row["functions_changed"] ?? "[]", rawSizeBytes: row["raw_size_bytes"],
            compressedTokens: row["compressed_tokens"], compressionTimeMs: row["compression_time_ms"], compressor: row["compressor"] ?? "",
            promptId: row.hasColumn("prompt_id") ? row["prompt_id"] : nil)
    }
}
