import Foundation

/// Line-level recognition of definitions (functions, classes, types) across the languages agents
/// edit most: Python, Swift, JS/TS, Go, Rust, Kotlin/Java-ish. Not a parser — good enough to name
/// what an edit touched, and cheap enough to run on every observation.
enum CodeSymbols {
    struct Definition: Equatable {
        var name: String
        var kind: String // "def", "class", "func", …
        var indent: Int
        var line: Int // 0-based index in the scanned lines
    }

    private static let modifiers: Set<String> = [
        "public", "private", "internal", "fileprivate", "open", "static", "final", "override", "mutating",
        "nonmutating", "async", "export", "default", "pub", "pub(crate)", "abstract", "protected", "inline",
        "unsafe", "extern", "declare", "convenience", "required", "nonisolated", "indirect", "lazy", "data",
        "sealed", "suspend", "@objc", "@MainActor", "@discardableResult", "@inlinable", "@Test",
    ]
    private static let definers: [String: String] = [
        "def": "def", "class": "class", "func": "func", "function": "function", "struct": "struct",
        "enum": "enum", "protocol": "protocol", "actor": "actor", "interface": "interface", "fn": "fn",
        "trait": "trait", "fun": "fun", "impl": "impl", "extension": "extension",
    ]

    /// The definition a single line introduces, if any.
    static func definition(in rawLine: Substring, line: Int = 0) -> Definition? {
        var indent = 0
        var start = rawLine.startIndex
        while start < rawLine.endIndex, rawLine[start] == " " || rawLine[start] == "\t" {
            indent += rawLine[start] == "\t" ? 4 : 1
            start = rawLine.index(after: start)
        }
        let text = rawLine[start...]
        guard let first = text.first, first.isLetter || first == "@" || first == "_" else { return nil }
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).prefix(8).map(String.init)
        // Strip attributes and modifiers ("public static func", "export default async function").
        while let w = words.first, modifiers.contains(w) || (w.hasPrefix("@") && words.count > 1) || w.hasPrefix("private(") {
            words.removeFirst()
        }
        guard let keyword = words.first else { return nil }
        if let kind = definers[keyword], words.count >= 2 {
            var nameWord = words[1]
            // Go methods: func (r *Recv) Name(…)
            if keyword == "func", nameWord.hasPrefix("(") {
                guard let close = words.firstIndex(where: { $0.contains(")") }), close + 1 < words.count else { return nil }
                nameWord = words[close + 1]
            }
            guard let name = identifierPrefix(nameWord) else { return nil }
            return Definition(name: name, kind: kind, indent: indent, line: line)
        }
        // Swift initialisers.
        if keyword.hasPrefix("init(") || keyword.hasPrefix("init<") || keyword == "init?(" {
            return Definition(name: "init", kind: "func", indent: indent, line: line)
        }
        // JS/TS arrow functions and function expressions: const name = (…) => / async (…) => / function
        if keyword == "const" || keyword == "let" || keyword == "var", words.count >= 4, words[2] == "=" {
            let rhs = words[3...].joined(separator: " ")
            if rhs.hasPrefix("(") || rhs.hasPrefix("async") || rhs.hasPrefix("function") || rhs.contains("=>") {
                if rhs.contains("=>") || rhs.hasPrefix("function") || rhs.hasPrefix("async function") {
                    if let name = identifierPrefix(words[1]) { return Definition(name: name, kind: "function", indent: indent, line: line) }
                }
            }
        }
        return nil
    }

    /// All definitions in `lines`, in order.
    static func definitions(in lines: [Substring]) -> [Definition] {
        var out: [Definition] = []
        for (i, line) in lines.enumerated() {
            if let d = definition(in: line, line: i) { out.append(d) }
        }
        return out
    }

    static func definitions(in text: String) -> [Definition] {
        definitions(in: HeuristicText.lines(text))
    }

    /// The innermost definition enclosing line `index` (a definition above it with smaller indent,
    /// or the definition on that line itself).
    static func enclosing(_ index: Int, in lines: [Substring]) -> Definition? {
        guard index >= 0, index < lines.count else { return nil }
        if let d = definition(in: lines[index], line: index) { return d }
        var targetIndent = indentation(of: lines[index])
        if lines[index].allSatisfy({ $0 == " " || $0 == "\t" }) { targetIndent = Int.max }
        var i = index - 1
        var looked = 0
        while i >= 0, looked < 2000 {
            let line = lines[i]
            if !line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                let ind = indentation(of: line)
                if ind < targetIndent, let d = definition(in: line, line: i) { return d }
                if ind == 0 && targetIndent > 0 && definition(in: line, line: i) == nil && !line.hasPrefix("@")
                    && !line.hasPrefix("#") && !line.hasPrefix("//") && !line.hasPrefix(")") && !line.hasPrefix("}")
                {
                    // A top-level statement: nothing encloses the line.
                    return nil
                }
            }
            i -= 1
            looked += 1
        }
        return nil
    }

    static func indentation(of line: Substring) -> Int {
        var n = 0
        for ch in line {
            if ch == " " { n += 1 } else if ch == "\t" { n += 4 } else { break }
        }
        return n
    }

    private static func identifierPrefix(_ word: String) -> String? {
        var name = ""
        for ch in word {
            if ch.isLetter || ch.isNumber || ch == "_" || ch == "$" { name.append(ch) } else { break }
        }
        guard let f = name.first, !f.isNumber else { return nil }
        return name
    }
}
