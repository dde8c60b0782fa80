import GRDB

/// A captured hook event waiting to be turned into an observation.
public struct QueueItem: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "pending_queue"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// raw: kept unprocessed because the LLM was unavailable; caught up later.
    public enum Status: String, Codable, Sendable, CaseIterable { case raw, pending, processing, done, failed }

    public var id: Int64?
    public var createdAt: String
    public var updatedAt: String
    public var sessionId: String
    public var project: String
    public var hookType: String
    public var toolName: String?
    public var payload: String
    public var rawSizeBytes: Int
    public var status: Status
    public var attempts: Int
    public var error: String?
    public var nextAttemptAt: String?
    public var leaseUntil: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Column mapping written out: the processor reads every queued item through it, and the Codable bridge
/// (snake-case key conversion per column) showed up in the processing profile.
extension QueueItem {
    public init(row: Row) throws {
        id = row["id"]
        createdAt = row["created_at"] ?? ""
        updatedAt = row["updated_at"] ?? ""
        sessionId = row["session_id"] ?? ""
        project = row["project"] ?? ""
        hookType = row["hook_type"] ?? ""
        toolName = row["tool_name"]
        payload = row["payload"] ?? ""
        rawSizeBytes = row["raw_size_bytes"] ?? 0
        status = Status(rawValue: row["status"] ?? "") ?? .pending
        attempts = row["attempts"] ?? 0
        error = row["error"]
        nextAttemptAt = row["next_attempt_at"]
        leaseUntil = row["lease_until"]
    }
}
