/// Draws the seed's rounded box (`╭─ Title ──╮ … ╰──╯`) around report lines, wrapping long
/// lines at word boundaries so the right edge stays straight.
struct BoxRenderer: Sendable {
    var style: ReportStyle
    var minWidth = 60
    var maxWidth = 74

    func render(title: String, lines: [BoxLine]) -> String {
        let longest = lines.map(\.text.count).max() ?? 0
        let width = min(maxWidth, max(minWidth, longest, title.count + 4))
        var out: [String] = []
        let dashes = max(1, width + 6 - 5 - title.count)
        out.append(style.frame("╭─ ") + style.bold(title) + style.frame(" " + String(repeating: "─", count: dashes) + "╮"))
        for line in lines {
            for (i, piece) in Self.wrap(line.text, width: width, indent: line.hangingIndent).enumerated() {
                let pad = String(repeating: " ", count: max(0, width - piece.count))
                out.append(style.frame("│") + "  " + colourize(piece, line.kind, first: i == 0) + pad + "  " + style.frame("│"))
            }
        }
        out.append(style.frame("╰" + String(repeating: "─", count: width + 4) + "╯"))
        return out.joined(separator: "\n") + "\n"
    }

    func colourize(_ piece: String, _ kind: BoxLine.Kind, first: Bool) -> String {
        switch kind {
        case .text: return piece
        case .heading: return style.heading(piece)
        case .change(let change, let markWidth):
            guard first, piece.count >= markWidth else { return piece }
            return style.change(String(piece.prefix(markWidth)), change) + String(piece.dropFirst(markWidth))
        }
    }

    /// Word-wraps `text` to `width` characters; continuation lines start with `indent` spaces.
    /// Spacing inside a line (column alignment) is kept; a word longer than a line is split.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        guard text.count > width else { return [text] }
        let pad = String(repeating: " ", count: min(indent, width / 2))
        // Words with the run of spaces before each; the line's own leading spaces stay on the first piece.
        var words: [(gap: String, word: Substring)] = []
        var gap = ""
        var word = Substring()
        var wordStart: String.Index?
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == " " {
                if let start = wordStart { words.append((gap, text[start..<i])); gap = ""; wordStart = nil }
                gap.append(" ")
            } else if wordStart == nil {
                wordStart = i
            }
            i = text.index(after: i)
        }
        if let start = wordStart { word = text[start...]; words.append((gap, word)) }

        var lines: [String] = []
        var current = ""
        for (k, entry) in words.enumerated() {
            var w = entry.word
            let isLineStart = k == 0 || current == pad
            let sep = k == 0 ? entry.gap : (isLineStart ? "" : entry.gap)
            if !isLineStart, current.count + sep.count + w.count > width {
                lines.append(current)
                current = pad
            } else {
                current += sep
            }
            while current.count + w.count > width {
                let room = max(1, width - current.count)
                current += w.prefix(room)
                lines.append(current)
                current = pad
                w = w.dropFirst(room)
            }
            current += w
        }
        if !current.isEmpty, current != pad { lines.append(current) }
        return lines
    }
}
