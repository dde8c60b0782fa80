import Foundation

/// The effective configuration: defaults, overridden by the config file, overridden by
/// `ENGRAM_*` environment variables. Each value remembers where it came from.
public struct EngramConfig: Sendable {
    public enum Source: String, Sendable, Codable { case `default`, file, environment }

    public struct Entry: Sendable {
        public let key: ConfigKey
        public let value: String
        public let source: Source
    }

    public let entries: [String: Entry]
    /// Keys found in the config file that engram does not know (typos, usually).
    public let unknownFileKeys: [String]
    public let fileURL: URL?

    /// Loads `config.toml` (or `config.json`) from the data directory and applies the environment.
    public static func load(paths: EngramPaths, env: [String: String] = ProcessInfo.processInfo.environment) throws -> EngramConfig {
        let fm = FileManager.default
        var fileValues: [String: String] = [:]
        var fileURL: URL?
        if fm.fileExists(atPath: paths.configTOML.path) {
            fileURL = paths.configTOML
            let text = try String(contentsOf: paths.configTOML, encoding: .utf8)
            fileValues = try TOMLLite.parse(text)
        } else if fm.fileExists(atPath: paths.configJSON.path) {
            fileURL = paths.configJSON
            fileValues = try Self.flattenJSON(Data(contentsOf: paths.configJSON))
        }
        return try EngramConfig(fileValues: fileValues, fileURL: fileURL, env: env)
    }

    public init(fileValues: [String: String] = [:], fileURL: URL? = nil, env: [String: String] = [:]) throws {
        var entries: [String: Entry] = [:]
        for key in ConfigKey.all {
            var entry = Entry(key: key, value: key.defaultValue, source: .default)
            if let v = fileValues[key.name] { entry = Entry(key: key, value: v, source: .file) }
            if let v = env[key.environmentName] { entry = Entry(key: key, value: v, source: .environment) }
            try Self.validate(entry)
            entries[key.name] = entry
        }
        self.entries = entries
        self.unknownFileKeys = fileValues.keys.filter { ConfigKey.named($0) == nil }.sorted()
        self.fileURL = fileURL
    }

    private static func validate(_ e: Entry) throws {
        let ok: Bool
        switch e.key.kind {
        case .int: ok = Int(e.value.blankTrimmed) != nil
        case .double: ok = Double(e.value.blankTrimmed) != nil
        case .bool: ok = parseBool(e.value) != nil
        case .string, .stringList: ok = true
        }
        if !ok {
            let from = e.source == .environment ? e.key.environmentName : e.key.name
            throw EngramError.invalidConfig("\(from) = \"\(e.value)\" is not a valid \(e.key.kind.rawValue) (from \(e.source.rawValue)).")
        }
    }

    static func parseBool(_ s: String) -> Bool? {
        switch s.blankTrimmed.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: return nil
        }
    }

    public func string(_ name: String) -> String { entries[name]?.value ?? ConfigKey.named(name)?.defaultValue ?? "" }
    public func int(_ name: String) -> Int { Int(string(name).blankTrimmed) ?? 0 }
    public func double(_ name: String) -> Double { Double(string(name).blankTrimmed) ?? 0 }
    public func bool(_ name: String) -> Bool { Self.parseBool(string(name)) ?? false }
    public func stringList(_ name: String) -> [String] {
        string(name).split(separator: ",").map(\.blankTrimmed).filter { !$0.isEmpty }
    }

    // Convenience accessors for the settings the spine uses.
    public var contextBudget: Int { max(100, int("context.budget")) }
    public var skipTools: Set<String> { Set(stringList("capture.skip_tools")) }
    public var maxPayloadBytes: Int { max(4096, int("capture.max_payload_bytes")) }
    static var defaultMaxPayload: Int { Int(ConfigKey.named("capture.max_payload_bytes")!.defaultValue)! }
    public var maxAttempts: Int { max(1, int("processing.max_attempts")) }
    /// How long a session's finisher waits for items held by another processor (`processing.finish_wait_seconds`).
    public var finishWait: Duration { .milliseconds(Int64(max(0, min(600, double("processing.finish_wait_seconds"))) * 1000)) }

    /// Flattens `{"context": {"budget": 1500}}` into `context.budget = "1500"`.
    static func flattenJSON(_ data: Data) throws -> [String: String] {
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch {
            throw EngramError.invalidConfig("config.json is not valid JSON: \(error.localizedDescription)")
        }
        var out: [String: String] = [:]
        func walk(_ v: JSONValue, _ prefix: String) {
            switch v {
            case .object(let o): for (k, child) in o { walk(child, prefix.isEmpty ? k : prefix + "." + k) }
            case .array(let a): out[prefix] = a.compactMap(\.textValue).joined(separator: ",")
            default: out[prefix] = v.textValue ?? ""
            }
        }
        walk(value, "")
        return out
    }
}
