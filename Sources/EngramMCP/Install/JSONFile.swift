import EngramCore
import Foundation

/// Reads and writes the JSON config files of other tools: only when the content really
/// changes, with a timestamped backup of the previous file, keeping its permissions.
package struct JSONFile: Sendable {
    package let url: URL
    package init(_ url: URL) { self.url = url }

    package var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// The document, or an empty object when the file is missing or blank.
    package func read() throws -> JSONValue {
        guard exists else { return .object([:]) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw InstallError.unreadable(url.path, error.localizedDescription)
        }
        if String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .object([:]) }
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch { throw InstallError.notJSON(url.path) }
        guard value.objectValue != nil else { throw InstallError.notJSON(url.path) }
        return value
    }

    /// Writes `value` if it differs from what is on disk; returns the backup path (if one was made).
    package func write(_ value: JSONValue, backupStamp: String) throws -> String? {
        try TextFile(url).write(Self.pretty(value), backupStamp: backupStamp)
    }

    package static func pretty(_ value: JSONValue) -> String {
        let any = foundation(value)
        guard let data = try? JSONSerialization.data(withJSONObject: any, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return value.serialized()
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func foundation(_ v: JSONValue) -> Any {
        switch v {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
        case .string(let s): return s
        case .array(let a): return a.map(foundation)
        case .object(let o): return o.mapValues(foundation)
        }
    }
}

/// A text config file (JSON or TOML) written atomically with a backup.
package struct TextFile: Sendable {
    package let url: URL
    package init(_ url: URL) { self.url = url }

    package func read() throws -> String {
        guard FileManager.default.fileExists(atPath: url.path) else { return "" }
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw InstallError.unreadable(url.path, error.localizedDescription)
        }
    }

    @discardableResult
    package func write(_ text: String, backupStamp: String) throws -> String? {
        let fm = FileManager.default
        var backup: String?
        var mode: Int?
        if fm.fileExists(atPath: url.path) {
            if (try? read()) == text { return nil }
            mode = (try? fm.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? nil
            var b = url.path + ".engram-backup-" + backupStamp
            var n = 1
            while fm.fileExists(atPath: b) { b = url.path + ".engram-backup-" + backupStamp + "-\(n)"; n += 1 }
            do { try fm.copyItem(atPath: url.path, toPath: b) } catch {
                throw InstallError.unwritable(b, error.localizedDescription)
            }
            backup = b
        }
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
            if let mode { try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path) }
        } catch {
            throw InstallError.unwritable(url.path, error.localizedDescription)
        }
        return backup
    }

    /// `20261121-235000`: sorts, and is safe in a file name.
    package static func stamp(_ date: Date) -> String {
        let iso = Timestamp.format(date)
        return String(iso.prefix(19)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "T", with: "-")
    }
}

/// Why an install could not be done, and what to do.
package enum InstallError: LocalizedError, Equatable {
    case unreadable(String, String)
    case notJSON(String)
    case unwritable(String, String)
    case badShape(String, String)

    package var errorDescription: String? {
        switch self {
        case .unreadable(let p, let why): return "Cannot read \(p): \(why). Check its permissions."
        case .notJSON(let p): return "\(p) is not a JSON object; fix or move it aside, then run the install again. Nothing was changed."
        case .unwritable(let p, let why): return "Cannot write \(p): \(why). Check the folder's permissions."
        case .badShape(let p, let why): return "\(p): \(why); fix it by hand, then run the install again. Nothing was changed."
        }
    }
}
