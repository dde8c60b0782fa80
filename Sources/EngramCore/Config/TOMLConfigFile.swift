import Foundation
private import TOMLKit

/// Reads `config.toml` with a real TOML 1.0 parser (TOMLKit, on toml++): tables, dotted keys, multi-line arrays,
/// inline tables, every string form. Values come back as strings keyed by dotted name (what `EngramConfig`
/// validates per key); an array of scalars is joined by commas, an array of tables becomes `name.0.key`, `name.1.key`…
///
/// Lenient reading keeps engram running on a file with mistakes: the parser stops at the first error, so the line it
/// names is set aside and the file read again, until it parses. Each line set aside is one problem. A broken
/// `[section]` header is replaced by a table of its own that is then dropped, so the lines under it are checked but
/// never filed under the section before it.
enum TOMLConfigFile {
    /// Strict: the first problem throws (for `engram config set`, which must not write a file it cannot read back).
    static func parse(_ text: String) throws -> [String: String] {
        let (values, problems) = parseLenient(text)
        if let first = problems.first { throw EngramError.invalidConfig(first) }
        return values
    }

    /// Every value the file holds once its broken lines are set aside, and one message per line set aside.
    static func parseLenient(_ text: String) -> (values: [String: String], problems: [String]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var problems: [String] = []
        var quarantined = Set<String>()
        // Each round sets one line aside, so the rounds end; the bound only guards against a parser that names
        // a line it then does not change its mind about.
        for _ in 0...lines.count {
            do {
                let table = try TOMLTable(string: lines.joined(separator: "\n"))
                var out: [String: String] = [:]
                flatten(table, prefix: "", skipping: quarantined, into: &out)
                return (out, problems)
            } catch let error as TOMLParseError {
                let index = error.source.begin.line - 1
                guard lines.indices.contains(index), !lines[index].allSatisfy(\.isWhitespace) else { break }
                let line = lines[index].trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("[") {
                    problems.append("config.toml line \(index + 1): expected a [section] header (\(error.description)).")
                    let placeholder = "engram-unreadable-\(index + 1)"
                    quarantined.insert(placeholder)
                    lines[index] = "[\(placeholder)]"
                } else {
                    problems.append("config.toml line \(index + 1): \(error.description)\(unquotedHint(line)).")
                    lines[index] = ""
                }
            } catch {
                break
            }
        }
        problems.append("config.toml could not be read as TOML, so all of it is ignored.")
        return ([:], problems)
    }

    /// The likeliest mistake in a hand-written file, `level = debug`, named in words: TOML quotes its strings, and
    /// the parser's own message ("expected a value") does not say so.
    private static func unquotedHint(_ line: String) -> String {
        guard let eq = line.firstIndex(of: "=") else { return "" }
        let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        guard let first = value.first, first.isLetter, !["true", "false", "inf", "nan"].contains(value) else { return "" }
        let key = line[..<eq].trimmingCharacters(in: .whitespaces)
        return "; strings are quoted in TOML: \(key) = \"\(value)\""
    }

    private static func flatten(_ table: TOMLTable, prefix: String, skipping: Set<String>, into out: inout [String: String]) {
        for key in table.keys {
            if prefix.isEmpty && skipping.contains(key) { continue }
            guard let value = table[key] else { continue }
            let name = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value.table {
                flatten(nested, prefix: name, skipping: skipping, into: &out)
            } else if let array = value.array {
                if array.contains(where: { $0.table != nil }) {
                    for (i, element) in array.enumerated() {
                        if let nested = element.table { flatten(nested, prefix: "\(name).\(i)", skipping: skipping, into: &out) }
                    }
                } else {
                    out[name] = array.map(scalar).filter { !$0.isEmpty }.joined(separator: ",")
                }
            } else {
                out[name] = scalar(value)
            }
        }
    }

    private static func scalar(_ value: any TOMLValueConvertible) -> String {
        if let s = value.string { return s }
        if let b = value.bool { return b ? "true" : "false" }
        if let i = value.int { return String(i) }
        if let d = value.double { return String(d) }
        return value.debugDescription
    }
}
