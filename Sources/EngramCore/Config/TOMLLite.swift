import Foundation

/// The subset of TOML engram's config needs: `[section]` tables, `key = value` with
/// strings, numbers, booleans and arrays of those, and `#` comments. Values come back
/// as strings keyed by dotted name; arrays are joined by commas.
enum TOMLLite {
    static func parse(_ text: String) throws -> [String: String] {
        var out: [String: String] = [:]
        var section = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            let line = stripComment(String(rawLine)).blankTrimmed
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw EngramError.invalidConfig("config.toml line \(lineNo): expected a [section] header.")
                }
                section = String(line.dropFirst().dropLast()).blankTrimmed
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw EngramError.invalidConfig("config.toml line \(lineNo): expected `key = value`.")
            }
            let key = line[..<eq].blankTrimmed.trimming(charactersIn: "\"")
            let raw = line[line.index(after: eq)...].blankTrimmed
            guard !key.isEmpty else { throw EngramError.invalidConfig("config.toml line \(lineNo): empty key.") }
            out[section.isEmpty ? key : section + "." + key] = try value(raw, lineNo)
        }
        return out
    }

    private static func value(_ raw: String, _ lineNo: Int) throws -> String {
        if raw.hasPrefix("[") {
            guard raw.hasSuffix("]") else { throw EngramError.invalidConfig("config.toml line \(lineNo): unterminated array.") }
            let inner = raw.dropFirst().dropLast()
            return try inner.split(separator: ",").map { try scalar($0.blankTrimmed, lineNo) }
                .filter { !$0.isEmpty }.joined(separator: ",")
        }
        return try scalar(raw, lineNo)
    }

    private static func scalar(_ raw: String, _ lineNo: Int) throws -> String {
        if raw.hasPrefix("\"") || raw.hasPrefix("'") {
            let q = raw.first!
            guard raw.count >= 2, raw.last == q else {
                throw EngramError.invalidConfig("config.toml line \(lineNo): unterminated string.")
            }
            let body = String(raw.dropFirst().dropLast())
            return q == "\"" ? body.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\") : body
        }
        return raw
    }

    /// Removes a trailing `# comment`, leaving `#` inside quoted strings alone.
    private static func stripComment(_ line: String) -> String {
        var inQuote: Character?
        for (i, ch) in zip(line.indices, line) {
            if let q = inQuote { if ch == q { inQuote = nil } }
            else if ch == "\"" || ch == "'" { inQuote = ch }
            else if ch == "#" { return String(line[..<i]) }
        }
        return line
    }
}
