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
    /// A word longer than a line is split.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        guard text.count > width else { return [text] }
        let pad = String(repeating: " ", count: min(indent, width / 2))
        var lines: [String] = []
        var current = ""
        var leading = ""
        // Keep the line's own leading spaces (tree art, sub-items) on its first piece.
        var rest = Substring(text)
        while rest.first == " " { leading.append(" "); rest = rest.dropFirst() }
        current = leading
        for word in rest.split(separator: " ", omittingEmptySubsequences: true) {
            var w = Substring(word)
            let base = lines.isEmpty ? leading : pad
            if current.count > base.count, current.count + 1 + w.count <= width {
                current += " " + w
                continue
            }
            if current.count > base.count { lines.append(current); current = pad }
            while current.count + w.count > width {
                let room = max(1, width - current.count)
                current += w.prefix(room)
                lines.append(current)
                current = pad
                w = w.dropFirst(room)
            }
            current += w
        }
        if current.count > (lines.isEmpty ? leading.count : pad.count) { lines.append(current) }
        return lines
    }
}
