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

    /// What is wrong with the config file or the environment, one message a person can act on per problem. A
    /// broken setting never stops engram: the setting keeps its default (a bad line is skipped, an unreadable
    /// file is ignored), and these messages are shown by `engram doctor`, the session briefing and stderr.
    public let problems: [String]

    /// Loads `config.toml` (or `config.json`) from the data directory and applies the environment. Never fails
    /// on a broken file or value: see `problems`.
    public static func load(paths: EngramPaths, env: [String: String] = ProcessInfo.processInfo.environment) throws -> EngramConfig {
        let fm = FileManager.default
        var fileValues: [String: String] = [:]
        var fileURL: URL?
        var problems: [String] = []
        if fm.fileExists(atPath: paths.configTOML.path) {
            fileURL = paths.configTOML
            if let data = fm.contents(atPath: paths.configTOML.path) {
                if let text = String(data: data, encoding: .utf8) {
                    let (values, lineProblems) = TOMLConfigFile.parseLenient(text)
                    fileValues = values
                    problems += lineProblems.map { "\($0) That line is ignored; fix it in \(paths.configTOML.path)." }
                } else {
                    problems.append("\(paths.configTOML.path) is not UTF-8 text, so engram ignores it and uses its defaults; save it as UTF-8.")
                }
            } else {
                problems.append("\(paths.configTOML.path) cannot be read, so engram uses its defaults; fix its permissions (chmod 600).")
            }
        } else if fm.fileExists(atPath: paths.configJSON.path) {
            fileURL = paths.configJSON
            do { fileValues = try Self.flattenJSON(Data(contentsOf: paths.configJSON)) } catch {
                let why = (error as? EngramError)?.errorDescription ?? "it cannot be read"
                problems.append("\(why) engram ignores \(paths.configJSON.path) and uses its defaults until it is fixed.")
            }
        }
        return EngramConfig(lenient: fileValues, fileURL: fileURL, env: env, problems: problems)
    }

    /// Strict: throws on the first invalid value (for callers that must not run on a default, like `config set`).
    public init(fileValues: [String: String] = [:], fileURL: URL? = nil, env: [String: String] = [:]) throws {
        self.init(lenient: fileValues, fileURL: fileURL, env: env, problems: [])
        if let first = problems.first { throw EngramError.invalidConfig(first) }
    }

    /// Lenient: an invalid value keeps the key's default and is reported in `problems`.
    init(lenient fileValues: [String: String], fileURL: URL?, env: [String: String], problems: [String]) {
        var entries: [String: Entry] = [:]
        var problems = problems
        for key in ConfigKey.all {
            var entry = Entry(key: key, value: key.defaultValue, source: .default)
            if let v = fileValues[key.name] { entry = Self.checked(Entry(key: key, value: v, source: .file), fileURL, &problems) ?? entry }
            if let v = env[key.environmentName] { entry = Self.checked(Entry(key: key, value: v, source: .environment), fileURL, &problems) ?? entry }
            entries[key.name] = entry
        }
        self.entries = entries
        self.unknownFileKeys = fileValues.keys.filter { ConfigKey.named($0) == nil }.sorted()
        self.fileURL = fileURL
        self.problems = problems
    }

    /// The entry when its value is valid for its kind, else nil with the problem recorded.
    private static func checked(_ e: Entry, _ fileURL: URL?, _ problems: inout [String]) -> Entry? {
        let ok: Bool
        switch e.key.kind {
        case .int: ok = Int(e.value.blankTrimmed) != nil
        case .double: ok = Double(e.value.blankTrimmed) != nil
        case .bool: ok = parseBool(e.value) != nil
        case .string, .stringList: ok = true
        }
        if ok { return e }
        let shown = e.value.count > 60 ? String(e.value.prefix(60)) + "…" : e.value
        let place =
            e.source == .environment
            ? "the environment variable \(e.key.environmentName)"
            : "`\(e.key.name)` in \(fileURL?.path ?? "the config file")"
        let example =
            switch e.key.kind {
            case .int: "a whole number"
            case .double: "a number"
            case .bool: "true or false"
            case .string, .stringList: "text"
            }
        problems.append(
            "\(place) is \"\(shown)\", which is not \(example); engram uses the default (\(e.key.defaultValue.isEmpty ? "empty" : e.key.defaultValue)) until it is fixed."
        )
        return nil
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
