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

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var files: [String] { JSONList.decode(filesTouched) }
}

/// Reads and writes the JSON string arrays kept in TEXT columns.
public enum JSONList {
    public static func decode(_ text: String?) -> [String] {
        guard let text, let v = try? JSONValue.parse(text), let a = v.arrayValue else { return [] }
        return a.compactMap(\.textValue)
    }

    public static func encode(_ items: [String]) -> String {
        JSONValue.array(items.map(JSONValue.string)).serialized()
    }
}
