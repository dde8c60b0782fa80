import Foundation

/// A parsed JSON value that keeps booleans and numbers apart (JSONSerialization blurs them on some platforms).
public enum JSONNode: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONNode].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONNode].self)) }
    }

    /// Parses `text` as one JSON value, or returns nil.
    public static func parse(_ text: String) -> JSONNode? {
        try? JSONDecoder().decode(JSONNode.self, from: Data(text.utf8))
    }

    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var numberValue: Double? { if case .number(let value) = self { value } else { nil } }
    var arrayValue: [JSONNode]? { if case .array(let value) = self { value } else { nil } }
    var objectValue: [String: JSONNode]? { if case .object(let value) = self { value } else { nil } }
}
