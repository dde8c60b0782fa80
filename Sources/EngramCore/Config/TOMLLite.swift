import Foundation

/// The subset of TOML engram's config needs: `[section]` tables, `key = value` with
/// strings, numbers, booleans and arrays of those, and `#` comments. Values come back
/// as strings keyed by dotted name; arrays are joined by commas.
enum TOMLLite {
    static func parse(_ text: String) throws -> [String: String] {
        let (values, problems) = parseLenient(text)
        if let first = problems.first { throw EngramError.invalidConfig(first) }
        return values
    }

    /// Every line that parses, and one message per line that does not (that line is skipped). A section
    /// header that does not parse skips the lines under it too, so they are never filed under another section.
    static func parseLenient(_ text: String) -> (values: [String: String], problems: [String]) {
        var out: [String: String] = [:]
        var problems: [String] = []
        var section: String? = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            let line = stripComment(String(rawLine)).blankTrimmed
            if line.isEmpty { continue }
            do {
                if line.hasPrefix("[") {
                    section = nil
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
                guard let section else { continue }
                out[section.isEmpty ? key : section + "." + key] = try value(raw, lineNo)
            } catch let EngramError.invalidConfig(why) {
                problems.append(why)
            } catch {
                problems.append("config.toml line \(lineNo): \(error.localizedDescription)")
            }
        }
        return (out, problems)
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
