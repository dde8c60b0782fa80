import Foundation

/// `engram config set KEY VALUE` / `unset KEY`: one key changed in the config file, every other line (comments,
/// order, other sections) left as it was. Writes `config.toml` unless only a `config.json` exists.
public struct ConfigFileEditor: Sendable {
    public let paths: EngramPaths

    public init(paths: EngramPaths) { self.paths = paths }

    /// Sets `name` to `value` (checked against the key's type first); returns the file written.
    @discardableResult
    public func set(_ name: String, _ value: String) throws -> URL {
        let key = try Self.known(name)
        // The same check loading applies: a value that would break every later command is refused now.
        _ = try EngramConfig(fileValues: [key.name: Self.normalized(value, key)])
        return try edit(key, value: value)
    }

    /// Removes `name` from the file (its default, or the environment's value, applies again).
    @discardableResult
    public func unset(_ name: String) throws -> URL {
        try edit(try Self.known(name), value: nil)
    }

    /// The key named `name`, or an error naming the known ones of its section.
    public static func known(_ name: String) throws -> ConfigKey {
        guard let key = ConfigKey.named(name) else {
            let close = ConfigKey.all.map(\.name).filter { $0.hasPrefix(name.split(separator: ".").first.map(String.init) ?? name) }
            throw EngramError.invalidArgument(
                "unknown setting \"\(name)\"" + (close.isEmpty ? "" : "; known in that section: \(close.joined(separator: ", "))")
                    + ". `engram config show` lists every setting.")
        }
        return key
    }

    /// A list accepts "a,b" or "a, b"; the rest is taken as typed.
    static func normalized(_ value: String, _ key: ConfigKey) -> String {
        key.kind == .stringList ? value.split(separator: ",").map(\.blankTrimmed).filter { !$0.isEmpty }.joined(separator: ",") : value.blankTrimmed
    }

    private func edit(_ key: ConfigKey, value: String?) throws -> URL {
        try FileManager.default.createDirectory(at: paths.home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fm = FileManager.default
        if !fm.fileExists(atPath: paths.configTOML.path), fm.fileExists(atPath: paths.configJSON.path) {
            try write(try editJSON(Data(contentsOf: paths.configJSON), key, value), to: paths.configJSON)
            return paths.configJSON
        }
        let text = fm.fileExists(atPath: paths.configTOML.path) ? try String(contentsOf: paths.configTOML, encoding: .utf8) : ""
        let edited = Self.editTOML(text, key: key, value: value)
        _ = try TOMLConfigFile.parse(edited)
        try write(Data(edited.utf8), to: paths.configTOML)
        return paths.configTOML
    }

    private func write(_ data: Data, to url: URL) throws {
        let tmp = url.appendingPathExtension("tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw EngramError.invalidConfig("cannot write \(tmp.path): check the data directory's permissions.")
        }
        guard rename(tmp.path, url.path) == 0 else {
            throw EngramError.invalidConfig("cannot replace \(url.path) (\(String(cString: strerror(errno)))).")
        }
    }

    /// The value as TOML: numbers and booleans bare, strings quoted, lists as arrays of strings.
    static func tomlValue(_ value: String, _ key: ConfigKey) -> String {
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let v = normalized(value, key)
        switch key.kind {
        case .int, .double: return v
        case .bool: return EngramConfig.parseBool(v) == true ? "true" : "false"
        case .string: return quoted(v)
        case .stringList: return "[" + v.split(separator: ",").map { quoted(String($0)) }.joined(separator: ", ") + "]"
        }
    }

    /// `text` with `key` set (or removed when `value` is nil): the key's line replaced in place, else added at the end
    /// of its `[section]`, which is added at the end of the file when missing.
    static func editTOML(_ text: String, key: ConfigKey, value: String?) -> String {
        let dot = key.name.firstIndex(of: ".")!
        let section = String(key.name[..<dot]), leaf = String(key.name[key.name.index(after: dot)...])
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let newLine = value.map { "\(leaf) = \(tomlValue($0, key))" }
        var current = "", sectionEnd: Int?, found: Int?
        for (i, raw) in lines.enumerated() {
            let t = raw.blankTrimmed
            if t.hasPrefix("[") && t.hasSuffix("]") {
                current = String(t.dropFirst().dropLast()).blankTrimmed
                continue
            }
            let name: String? = t.firstIndex(of: "=").map { String(t[..<$0]).blankTrimmed.trimming(charactersIn: "\"") }
            if current == section, !t.isEmpty, !t.hasPrefix("#") { sectionEnd = i }
            if let name, current == section && name == leaf || current.isEmpty && name == key.name { found = i }
        }
        if let found {
            if let newLine { lines[found] = newLine } else { lines.remove(at: found) }
        } else if let newLine {
            if let end = sectionEnd {
                lines.insert(newLine, at: end + 1)
            } else if lines.contains(where: { $0.blankTrimmed == "[\(section)]" }),
                let header = lines.firstIndex(where: { $0.blankTrimmed == "[\(section)]" })
            {
                lines.insert(newLine, at: header + 1)
            } else {
                if let last = lines.last, !last.blankTrimmed.isEmpty { lines.append("") }
                lines += ["[\(section)]", newLine]
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    private func editJSON(_ data: Data, _ key: ConfigKey, _ value: String?) throws -> Data {
        guard case .object(var root) = try JSONValue.parse(data) else {
            throw EngramError.invalidConfig("\(paths.configJSON.path) is not a JSON object; fix or remove it.")
        }
        let parts = key.name.split(separator: ".").map(String.init)
        var section = root[parts[0]]?.objectValue ?? [:]
        root.removeValue(forKey: key.name)
        if let value {
            let v = Self.normalized(value, key)
            section[parts[1]] =
                switch key.kind {
                case .int, .double: .number(Double(v) ?? 0)
                case .bool: .bool(EngramConfig.parseBool(v) == true)
                case .string: .string(v)
                case .stringList: .array(v.split(separator: ",").map { .string(String($0)) })
                }
        } else {
            section.removeValue(forKey: parts[1])
        }
        root[parts[0]] = .object(section)
        return Data(JSONValue.object(root).serialized().utf8)
    }
}
