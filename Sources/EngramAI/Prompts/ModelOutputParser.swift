import EngramModel
import Foundation

/// Pulls JSON out of model text that may wrap it in prose or Markdown code fences.
package enum ModelOutputParser {
    /// Only this much of an answer is searched for JSON.
    package static let maxScannedCharacters = 200_000

    /// Removes one surrounding ``` fence (with or without a language tag) and trims.
    package static func stripCodeFences(_ text: String) -> String {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard body.hasPrefix("```") else { return body }
        if let firstNewline = body.firstIndex(of: "\n") {
            body = String(body[body.index(after: firstNewline)...])
        } else {
            body = String(body.dropFirst(3))
        }
        if let closing = body.range(of: "```", options: .backwards) {
            body = String(body[..<closing.lowerBound])
        }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The first balanced JSON object (`{...}`) or array (`[...]`) in `text`, parsed.
    ///
    /// Braces inside strings are skipped, so `{"a": "}"}` is found whole. When a candidate does not
    /// parse, the search continues after it.
    package static func firstJSONValue(in text: String, opening: Set<Character> = ["{", "["]) throws -> JSONValue {
        // A runaway answer is capped so the scan below stays cheap; real records are a few KB.
        let body = stripCodeFences(String(text.prefix(maxScannedCharacters)))
        guard !body.isEmpty else { throw ModelOutputError.empty }
        let characters = Array(body)
        var sawCandidate = false
        var start = 0
        while start < characters.count {
            guard let open = characters[start...].firstIndex(where: { opening.contains($0) }) else { break }
            sawCandidate = true
            if let end = matchingClose(characters, from: open) {
                let candidate = String(characters[open...end])
                if let value = try? JSONValue.parse(candidate) {
                    return value
                }
            }
            start = open + 1
        }
        throw sawCandidate ? ModelOutputError.invalidJSON : ModelOutputError.noJSON
    }

    /// The first JSON object in `text`.
    package static func firstJSONObject(in text: String) throws -> [String: JSONValue] {
        guard let object = try firstJSONValue(in: text, opening: ["{"]).objectValue else {
            throw ModelOutputError.invalidJSON
        }
        return object
    }

    private static func matchingClose(_ characters: [Character], from open: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        var index = open
        while index < characters.count {
            let character = characters[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else {
                switch character {
                case "\"": inString = true
                case "{", "[": depth += 1
                case "}", "]":
                    depth -= 1
                    if depth == 0 { return index }
                default: break
                }
            }
            index += 1
        }
        return nil
    }
}
