import Foundation

/// Length limits applied to model text so one verbose answer cannot bloat the briefing.
enum TextClamp {
    /// Collapses whitespace runs to one space and trims.
    static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Trims and collapses blank-line runs but keeps line breaks.
    static func multiLine(_ text: String) -> String {
        let lines = text.components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [String] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) {
            result.append(line)
        }
        while result.last?.isEmpty == true { result.removeLast() }
        return result.joined(separator: "\n")
    }

    /// At most `limit` characters, cut at a word boundary when one is near, with "…" when cut.
    static func clamp(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        let head = String(text.prefix(limit - 1))
        if let space = head.lastIndex(where: { $0 == " " || $0 == "\n" }), head.distance(from: head.startIndex, to: space) > limit / 2 {
            return String(head[..<space]).trimmingCharacters(in: .whitespaces) + "…"
        }
        return head + "…"
    }

    /// Keeps the head and tail of long tool output, saying how much was dropped; errors tend to sit at the end.
    static func truncateMiddle(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 0 else { return text }
        let keepHead = limit * 2 / 3
        let keepTail = limit - keepHead
        let dropped = text.count - keepHead - keepTail
        return String(text.prefix(keepHead)) + "\n…[\(dropped) characters omitted]…\n" + String(text.suffix(keepTail))
    }
}
