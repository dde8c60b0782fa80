import Foundation

/// Text shaping shared by the heuristic compressor and summarizer. Field limits follow the seed's
/// progressive disclosure at ≈4 characters per token: title ~10 tokens, summary ~50, detail ~200
/// (summary and detail get some slack because paths and names tokenise densely).
package enum HeuristicText {
    static let titleLimit = 90
    static let summaryLimit = 300
    static let detailLimit = 1000

    /// One line: whitespace runs (newlines included) collapse to one space, then clipped with "…".
    /// Works on Unicode scalars (grapheme breaking per character was the compressor's largest cost) and
    /// stops collecting well past `limit`, so a megabyte of output costs no more than a line of it.
    static func oneLine(_ s: String, limit: Int) -> String {
        // UTF-8 bytes, not a scalar view: appending to a String's scalar view costs a call per scalar.
        let cap = limit * 4 + 8
        var out: [UInt8] = []
        out.reserveCapacity(min(s.utf8.count, cap) + 8)
        var pendingSpace = false
        var count = 0
        var truncated = false
        for scalar in s.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if count >= cap { truncated = true; break }
            if pendingSpace {
                out.append(0x20)
                count += 1
                pendingSpace = false
            }
            if scalar.isASCII { out.append(UInt8(truncatingIfNeeded: scalar.value)) } else { UTF8.encode(scalar) { out.append($0) } }
            count += 1
        }
        let clipped = clip(String(decoding: out, as: UTF8.self), limit: limit)
        return truncated && !clipped.hasSuffix("…") ? clipped + "…" : clipped
    }

    /// White space as `Character.isWhitespace` sees it, answered for ASCII without a table lookup.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Clips to `limit` characters, preferring a word boundary, marking the cut with "…".
    static func clip(_ s: String, limit: Int) -> String {
        // Never more characters than UTF-8 bytes: short text needs no character count.
        guard s.utf8.count > limit, s.count > limit else { return trimTrailing(s) }
        let hard = s.prefix(max(0, limit - 1))
        if let space = hard.lastIndex(of: " "), hard.distance(from: hard.startIndex, to: space) > limit * 2 / 3 {
            return trimTrailing(String(hard[..<space])) + "…"
        }
        return trimTrailing(String(hard)) + "…"
    }

    /// Multi-line text within `limit` characters; each line right-trimmed, overly long lines clipped.
    static func block(_ lines: [String], limit: Int = detailLimit, lineLimit: Int = 160) -> String {
        var out: [String] = []
        var used = 0
        for raw in lines {
            let expanded = raw.utf8.contains(9) ? raw.replacingOccurrences(of: "\t", with: "    ") : raw
            let line = clip(trimTrailing(expanded), limit: lineLimit)
            let cost = line.count + 1
            if used + cost > limit {
                if used + 2 <= limit { out.append("…") }
                break
            }
            out.append(line)
            used += cost
        }
        while let last = out.last, last.blankTrimmed.isEmpty { out.removeLast() }
        while let first = out.first, first.blankTrimmed.isEmpty { out.removeFirst() }
        return out.joined(separator: "\n")
    }

    static func trimTrailing(_ s: String) -> String {
        if let last = s.utf8.last, last > 0x20 && last < 0x80 { return s }
        var end = s.endIndex
        while end > s.startIndex {
            let prev = s.index(before: end)
            guard s[prev].isWhitespace else { break }
            end = prev
        }
        return String(s[..<end])
    }

    /// Lines split on "\n" bytes (CRLF endings lose their "\r"); byte-level because splitting on
    /// Characters is slow on large outputs and treats "\r\n" as one character.
    static func lines(_ s: String) -> [Substring] {
        var out: [Substring] = []
        let u = s.utf8
        var start = u.startIndex
        var i = start
        while i != u.endIndex {
            if u[i] == 10 {
                var end = i
                if end > start, u[u.index(before: end)] == 13 { end = u.index(before: end) }
                out.append(s[start..<end])
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        out.append(s[start..<u.endIndex])
        return out
    }

    /// Substring search on UTF-8 bytes, without Foundation's bridging.
    static func has<S: StringProtocol>(_ hay: S, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0 else { return true }
        return needle.withUTF8Buffer { nb -> Bool in
            let first = nb[0]
            let u = hay.utf8
            var i = u.startIndex
            while i != u.endIndex {
                if u[i] == first {
                    var j = u.index(after: i)
                    var k = 1
                    while k < n, j != u.endIndex, u[j] == nb[k] {
                        j = u.index(after: j)
                        k += 1
                    }
                    if k == n { return true }
                }
                i = u.index(after: i)
            }
            return false
        }
    }

    /// Spaces and tabs trimmed from both ends, without Foundation.
    static func trimmed<S: StringProtocol>(_ s: S) -> Substring where S.SubSequence == Substring {
        var sub = s[s.startIndex...]
        while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
        return sub
    }

    /// Whether a string holds anything but whitespace (cheap on large strings: stops at the first byte).
    static func isBlank(_ s: String) -> Bool {
        !s.utf8.contains { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }
    }

    /// Line count as an editor shows it (a trailing newline does not start a new line).
    package static func lineCount(_ s: String) -> Int {
        if s.isEmpty { return 0 }
        var n = 0
        for b in s.utf8 where b == 10 { n += 1 }
        return s.utf8.last == 10 ? n : n + 1
    }

    /// Path relative to `cwd` when inside it; otherwise unchanged.
    package static func relativePath(_ path: String, cwd: String?) -> String {
        guard let cwd, !cwd.isEmpty, !path.isEmpty else { return path }
        let base = cwd.hasSuffix("/") ? String(cwd.dropLast()) : cwd
        if path == base { return "." }
        if path.hasPrefix(base + "/") { return String(path.dropFirst(base.count + 1)) }
        return path
    }

    /// First sentence (up to ". ", "! ", "? " or a newline), clipped.
    static func firstSentence(_ s: String, limit: Int) -> String {
        let trimmed = s.spaceTrimmed
        var end = trimmed.endIndex
        var i = trimmed.startIndex
        while i < trimmed.endIndex {
            let ch = trimmed[i]
            if ch == "\n" { end = i; break }
            if ch == "." || ch == "!" || ch == "?" {
                let next = trimmed.index(after: i)
                if next == trimmed.endIndex || trimmed[next] == " " || trimmed[next] == "\n" {
                    end = next
                    break
                }
            }
            i = trimmed.index(after: i)
        }
        return oneLine(String(trimmed[..<end]), limit: limit)
    }

    /// Joins names into at most `limit` characters: "a, b, c +2".
    static func nameList(_ names: [String], limit: Int) -> String {
        var out = ""
        for (i, name) in names.enumerated() {
            let piece = out.isEmpty ? name : ", " + name
            let rest = names.count - i
            if out.count + piece.count > limit - (rest > 1 ? 4 : 0) {
                if !out.isEmpty { return out + " +\(rest)" }
                return rest > 1 ? clip(name, limit: max(8, limit - 4)) + " +\(rest - 1)" : clip(name, limit: limit)
            }
            out += piece
        }
        return out
    }

    /// Bounds very large outputs before line parsing: the head and the (more telling) tail.
    static func bounded(_ s: String, head: Int = 16_000, tail: Int = 120_000) -> String {
        let bytes = s.utf8.count
        guard bytes > head + tail else { return s }
        let h = String(decoding: s.utf8.prefix(head), as: UTF8.self)
        let t = String(decoding: s.utf8.suffix(tail), as: UTF8.self)
        return h + "\n…\n" + t
    }

    /// "  12→code" / "    12\tcode" prefixes that Read output sometimes carries.
    static func stripLineNumber(_ line: Substring) -> Substring {
        var i = line.startIndex
        while i < line.endIndex, line[i] == " " { i = line.index(after: i) }
        let digitsStart = i
        while i < line.endIndex, line[i].isASCII, line[i].isNumber { i = line.index(after: i) }
        guard i > digitsStart, i < line.endIndex, line[i] == "→" || line[i] == "\t" else { return line }
        return line[line.index(after: i)...]
    }

    static func plural(_ n: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? word : (plural ?? word + "s"))
    }
}

extension JSONValue {
    /// A string member, or a number/bool member rendered as text; nil for anything else.
    func heuristicText(_ key: String) -> String? { self[key]?.textValue }
}
