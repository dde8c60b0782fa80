import EngramModel
import GRDB

/// Column mapping written out: the processor reads every queued item through it, and the Codable bridge
/// (snake-case key conversion per column) showed up in the processing profile.
extension QueueItem: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "pending_queue"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public init(row: Row) throws {
        self.init(
            id: row["id"], createdAt: row["created_at"] ?? "", updatedAt: row["updated_at"] ?? "", sessionId: row["session_id"] ?? "",
            project: row["project"] ?? "", hookType: row["hook_type"] ?? "", toolName: row["tool_name"], payload: row["payload"] ?? "",
            rawSizeBytes: row["raw_size_bytes"] ?? 0, status: Status(rawValue: row["status"] ?? "") ?? .pending,
            attempts: row["attempts"] ?? 0, error: row["error"], nextAttemptAt: row["next_attempt_at"], leaseUntil: row["lease_until"])
    }
}
