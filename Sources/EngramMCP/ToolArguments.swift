import EngramCore
import Foundation
internal import MCP

/// Typed, validating access to a tool call's arguments: a wrong type, a missing required
/// argument or an unknown name is a clear `badArgument`, never a crash.
struct ToolArguments: Sendable {
    let tool: String
    let values: [String: Value]

    init(tool: String, values: [String: Value]?, allowed: Set<String>) throws(ToolFailure) {
        self.tool = tool
        self.values = (values ?? [:]).filter { !$0.value.isNull }
        let unknown = self.values.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw .badArgument(
                "\(tool): unknown argument\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")); "
                    + "allowed: \(allowed.sorted().joined(separator: ", ")).")
        }
    }

    func string(_ key: String) throws(ToolFailure) -> String? {
        guard let v = values[key] else { return nil }
        guard case .string(let s) = v else { throw .badArgument("\(tool): `\(key)` must be a string.") }
        return s
    }

    func requiredString(_ key: String, allowEmpty: Bool = false) throws(ToolFailure) -> String {
        guard let s = try string(key) else { throw .badArgument("\(tool): `\(key)` is required.") }
        if !allowEmpty, s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .badArgument("\(tool): `\(key)` must not be empty.")
        }
        return s
    }

    func int(_ key: String, range: ClosedRange<Int>) throws(ToolFailure) -> Int? {
        guard let v = values[key] else { return nil }
        let n: Int?
        switch v {
        case .int(let i): n = i
        case .double(let d) where d == d.rounded() && abs(d) < 1e9: n = Int(d)
        default: n = nil
        }
        guard let n, range.contains(n) else {
            throw .badArgument("\(tool): `\(key)` must be an integer from \(range.lowerBound) to \(range.upperBound).")
        }
        return n
    }

    func bool(_ key: String) throws(ToolFailure) -> Bool? {
        guard let v = values[key] else { return nil }
        guard case .bool(let b) = v else { throw .badArgument("\(tool): `\(key)` must be true or false.") }
        return b
    }

    func strings(_ key: String, max: Int = 100) throws(ToolFailure) -> [String]? {
        guard let v = values[key] else { return nil }
        if case .string(let s) = v { return [s] }
        guard case .array(let items) = v else { throw .badArgument("\(tool): `\(key)` must be an array of strings.") }
        guard items.count <= max else { throw .badArgument("\(tool): `\(key)` takes at most \(max) items.") }
        var out: [String] = []
        for item in items {
            guard case .string(let s) = item else { throw .badArgument("\(tool): `\(key)` must be an array of strings.") }
            out.append(s)
        }
        return out
    }

    func object(_ key: String) throws(ToolFailure) -> JSONValue? {
        guard let v = values[key] else { return nil }
        guard case .object = v else { throw .badArgument("\(tool): `\(key)` must be an object.") }
        return ValueBridge.json(v)
    }

    func oneOf(_ key: String, _ choices: [String]) throws(ToolFailure) -> String? {
        guard let s = try string(key) else { return nil }
        guard choices.contains(s) else { throw .badArgument("\(tool): `\(key)` must be one of \(choices.joined(separator: ", ")).") }
        return s
    }
}

/// Converts between the SDK's `Value`, engram's `JSONValue` and Codable results.
enum ValueBridge {
    static func json(_ v: Value) -> JSONValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(Double(i))
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .data(_, let d): return .string(d.base64EncodedString())
        case .array(let a): return .array(a.map(json))
        case .object(let o): return .object(o.mapValues(json))
        }
    }

    /// Encodes with the types' own (camelCase) keys: a key strategy would also rewrite the
    /// keys of client-given metadata objects.
    /// Goes through JSONSerialization rather than `Value`'s Decodable, which tries every
    /// scalar type in turn for each value and is several times slower.
    static func value<T: Encodable>(_ item: T) throws -> Value {
        value(try JSONValue.parse(JSONEncoder().encode(item)))
    }

    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return n == n.rounded() && abs(n) < 9e15 ? .int(Int(n)) : .double(n)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(value))
        case .object(let o): return .object(o.mapValues(value))
        }
    }
}
