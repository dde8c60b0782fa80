import GRDB

/// A Claude Code session (or an MCP client's), keyed by the agent's own session id.
public struct SessionRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessions"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var seq: Int64?
    public var id: String
    public var project: String
    public var startedAt: String
    public var updatedAt: String
    public var endedAt: String?
    public var status: String
    public var source: String?
    public var endReason: String?
    public var transcriptPath: String?
    public var summaryText: String?
    public var lastAssistantMessage: String?
    public var promptCount: Int
    public var tokensInjected: Int
    public var tokensCompressed: Int
}
