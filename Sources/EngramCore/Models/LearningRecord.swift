import GRDB

/// Distilled project knowledge whose confidence grows as sessions confirm it.
public struct LearningRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "learnings"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public static let categories = ["architecture", "convention", "gotcha", "dependency", "pattern"]

    public var id: Int64?
    public var project: String?
    public var createdAt: String
    public var updatedAt: String
    public var category: String
    public var content: String
    public var confidence: Double
    public var timesSeen: Int
    /// JSON array of session ids.
    public var sourceSessions: String
    public var isManual: Bool
    public var isActive: Bool

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
