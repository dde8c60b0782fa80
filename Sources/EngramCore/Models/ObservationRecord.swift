import Foundation
import GRDB

/// One compressed tool event: the seed's progressive disclosure (title → summary → detail).
public struct ObservationRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "observations"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var queueId: Int64?
    public var sessionId: String
    public var project: String
    public var createdAt: String
    public var hookType: String
    public var toolName: String?
    public var title: String
    public var summary: String
    public var detail: String?
    /// JSON array of paths.
    public var filesTouched: String
    /// JSON array of {file, name, action}.
    public var functionsChanged: String
    public var rawSizeBytes: Int?
    public var compressedTokens: Int?
    public var compressionTimeMs: Int?
    public var compressor: String
    /// Claude Code's `prompt_id`: the prompt (user_prompts.prompt_id) whose tool call this was.
    public var promptId: String? = nil

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var files: [String] { JSONList.decode(filesTouched) }
}

/// Column mapping written out rather than derived from Codable: every processed item is inserted and every
/// search hit read through these, and the Codable bridge showed up in the processing profile.
extension ObservationRecord {
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
        try db.cachedStatement(sql: """
            INSERT INTO observations (queue_id, session_id, project, created_at, hook_type, tool_name, title, summary, detail,
                                      files_touched, functions_changed, raw_size_bytes, compressed_tokens, compression_time_ms, compressor,
                                      prompt_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [queueId, sessionId, project, createdAt, hookType, toolName, title, summary, detail,
                                     filesTouched, functionsChanged, rawSizeBytes, compressedTokens, compressionTimeMs, compressor,
                                     promptId])
        id = db.lastInsertedRowID
    }

    public init(row: Row) throws {
        id = row["id"]
        queueId = row["queue_id"]
        sessionId = row["session_id"] ?? ""
        project = row["project"] ?? ""
        createdAt = row["created_at"] ?? ""
        hookType = row["hook_type"] ?? ""
        toolName = row["tool_name"]
        title = row["title"] ?? ""
        summary = row["summary"] ?? ""
        detail = row["detail"]
        filesTouched = row["files_touched"] ?? "[]"
        functionsChanged = row["functions_changed"] ?? "[]"
        rawSizeBytes = row["raw_size_bytes"]
        compressedTokens = row["compressed_tokens"]
        compressionTimeMs = row["compression_time_ms"]
        compressor = row["compressor"] ?? ""
        promptId = row.hasColumn("prompt_id") ? row["prompt_id"] : nil
    }
}
