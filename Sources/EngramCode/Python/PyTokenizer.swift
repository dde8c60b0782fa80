import Foundation

/// Python tokenizer over normalised UTF-8 bytes: INDENT/DEDENT with CPython's tab rules,
/// implicit joining inside brackets, backslash continuations, all string prefixes and
/// f-strings whose replacement fields may hold nested quotes (3.12 style).
struct PyTokenizer {
    static let maxBracketDepth = 200
    static let maxIndentDepth = 100

    let src: [UInt8]
    private var i = 0
    private var line: Int32 = 1
    private var lineStart = 0
    private var tokens: [PyToken] = []
    private var brackets: [(UInt8, Int32, Int32)] = []
    private var indents: [Int] = [0]
    private var altIndents: [Int] = [0]
    private var atLineStart = true

    init(_ src: [UInt8]) {
        self.src = src
    }

    static func tokenize(_ src: [UInt8]) throws(PySyntaxError) -> [PyToken] {
        var t = PyTokenizer(src)
        t.tokens.reserveCapacity(src.count / 4 + 16)
        try t.run()
        return t.tokens
    }

    private var col: Int32 { Int32(i - lineStart) }

    private func fail(_ message: String, line l: Int32? = nil, col c: Int32? = nil) -> PySyntaxError {
        PySyntaxError(line: Int(l ?? line), col: Int((c ?? col)) + 1, message: message)
    }

    private mutating func emit(_ kind: PyTokenKind, _ start: Int, _ sLine: Int32, _ sCol: Int32) {
        let text = String(decoding: src[start..<i], as: UTF8.self)
        tokens.append(
            PyToken(
                kind: kind, text: text, line: sLine, col: sCol, endLine: line,
                start: Int32(start), end: Int32(i), flags: PyToken.classify(kind, text)))
    }

    private mutating func emitSynthetic(_ kind: PyTokenKind) {
        tokens.append(
            PyToken(
                kind: kind, text: "", line: line, col: col, endLine: line,
                start: Int32(i), end: Int32(i)))
    }

    private mutating func newline() {
        line += 1
        lineStart = i
    }

    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == 95 || b >= 0x80
    }

    static func isIdentChar(_ b: UInt8) -> Bool {
        isIdentStart(b) || (b >= 48 && b <= 57)
    }

    private mutating func run() throws(PySyntaxError) {
        let n = src.count
        while true {
            if atLineStart && brackets.isEmpty {
                // Measure indentation; blank and comment-only lines produce nothing.
                var colW = 0, alt = 0
                while i < n {
                    let b = src[i]
                    if b == 32 {
                        colW += 1; alt += 1
                    } else if b == 9 {
                        colW = (colW / 8 + 1) * 8; alt += 1
                    } else if b == 12 {
                        colW = 0; alt = 0
                    } else {
                        break
                    }
                    i += 1
                }
                if i >= n { break }
                let b = src[i]
                if b == 35 || b == 10 {
                    while i < n, src[i] != 10 { i += 1 }
                    if i < n { i += 1; newline() }
                    continue
                }
                if b == 92, i + 1 < n, src[i + 1] == 10 {
                    // A continuation line right at the start: treat as part of this logical line.
                    i += 2; newline()
                    atLineStart = false
                    continue
                }
                atLineStart = false
                try handleIndent(colW, alt)
            }
            if i >= n { break }
            let b = src[i]
            let sLine = line, sCol = col, start = i
            switch b {
            case 32, 9, 12:
                i += 1
            case 35:
                while i < n, src[i] != 10 { i += 1 }
            case 10:
                i += 1
                if brackets.isEmpty {
                    tokens.append(
                        PyToken(
                            kind: .newline, text: "", line: sLine, col: sCol, endLine: sLine,
                            start: Int32(start), end: Int32(start)))
                    atLineStart = true
                }
                newline()
            case 92:
                if i + 1 < n, src[i + 1] == 10 {
                    i += 2; newline()
                } else if i + 1 >= n {
                    throw fail("unexpected EOF while parsing")
                } else {
                    throw fail("unexpected character after line continuation character")
                }
            case 34, 39:
                try scanString(prefixStart: start, isF: false, isRaw: false)
                emit(.string, start, sLine, sCol)
            case 48...57:
                scanNumber()
                if b == 48, i - start > 1, src[start + 1] >= 48 && src[start + 1] <= 57 || src[start + 1] == 95,
                    !src[start..<i].contains(where: { $0 == 46 || $0 | 0x20 == 101 || $0 | 0x20 == 106 }),
                    src[start..<i].contains(where: { $0 >= 49 && $0 <= 57 })
                {
                    throw fail("leading zeros in decimal integer literals are not permitted", line: sLine, col: sCol)
                }
                emit(.number, start, sLine, sCol)
            case 46 where i + 1 < n && src[i + 1] >= 48 && src[i + 1] <= 57:
                scanNumber()
                emit(.number, start, sLine, sCol)
            default:
                if PyTokenizer.isIdentStart(b) {
                    var j = i
                    var ascii = true
                    while j < n, PyTokenizer.isIdentChar(src[j]) { if src[j] >= 0x80 { ascii = false }; j += 1 }
                    if !ascii { try checkIdentifier(start, j) }
                    // String prefix?
                    if j < n, src[j] == 34 || src[j] == 39, j - i <= 2, let (isF, isRaw) = stringPrefix(i, j) {
                        i = j
                        try scanString(prefixStart: start, isF: isF, isRaw: isRaw)
                        emit(.string, start, sLine, sCol)
                    } else {
                        i = j
                        emit(.name, start, sLine, sCol)
                    }
                } else {
                    try scanOperator()
                    emit(.op, start, sLine, sCol)
                }
            }
        }
        // End of input: close the logical line, unwind indentation.
        if !brackets.isEmpty {
            let (ch, l, c) = brackets.last!
            throw fail("'\(Character(UnicodeScalar(ch)))' was never closed", line: l, col: c)
        }
        if let last = tokens.last, last.kind != .newline, last.kind != .dedent {
            emitSynthetic(.newline)
        }
        while indents.count > 1 {
            indents.removeLast(); altIndents.removeLast()
            emitSynthetic(.dedent)
        }
        emitSynthetic(.endMarker)
    }

    /// Non-ASCII names must be Unicode identifiers (XID_Start then XID_Continue), as in CPython.
    private func checkIdentifier(_ a: Int, _ b: Int) throws(PySyntaxError) {
        let text = String(decoding: src[a..<b], as: UTF8.self)
        var first = true
        for scalar in text.unicodeScalars {
            let ok = first ? (scalar == "_" || scalar.properties.isXIDStart) : scalar.properties.isXIDContinue
            if !ok {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                throw fail("invalid character '\(scalar)' (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))")
            }
            first = false
        }
    }

    private mutating func handleIndent(_ colW: Int, _ alt: Int) throws(PySyntaxError) {
        let top = indents[indents.count - 1]
        if colW == top {
            if alt != altIndents[altIndents.count - 1] {
                throw fail("inconsistent use of tabs and spaces in indentation")
            }
        } else if colW > top {
            if alt <= altIndents[altIndents.count - 1] {
                throw fail("inconsistent use of tabs and spaces in indentation")
            }
            if indents.count >= PyTokenizer.maxIndentDepth {
                throw PySyntaxError(line: Int(line), col: 1, message: "too many levels of indentation", tooDeep: true)
            }
            indents.append(colW); altIndents.append(alt)
            emitSynthetic(.indent)
        } else {
            while indents.count > 1, colW < indents[indents.count - 1] {
                indents.removeLast(); altIndents.removeLast()
                emitSynthetic(.dedent)
            }
            if colW != indents[indents.count - 1] {
                throw fail("unindent does not match any outer indentation level")
            }
            if alt != altIndents[altIndents.count - 1] {
                throw fail("inconsistent use of tabs and spaces in indentation")
            }
        }
    }

    private func stringPrefix(_ a: Int, _ b: Int) -> (Bool, Bool)? {
        var f = false, r = false, u = false, bb = false
        for k in a..<b {
            switch src[k] | 0x20 {
            case 102: if f { return nil }; f = true
            case 114: if r { return nil }; r = true
            case 117: if u { return nil }; u = true
            case 98: if bb { return nil }; bb = true
            default: return nil
            }
        }
        if u && (f || r || bb) { return nil }
        if f && bb { return nil }
        return (f, r)
    }

    private enum FieldState { case expr(Int), spec }

    /// Scans a string body starting at the opening quote (i points at it).
    private mutating func scanString(prefixStart: Int, isF: Bool, isRaw: Bool, nesting: Int = 0) throws(PySyntaxError) {
        let n = src.count
        let q = src[i]
        let sLine = line, sCol = Int32(prefixStart - lineStart)
        if nesting > 20 {
            throw PySyntaxError(line: Int(line), col: Int(col) + 1, message: "f-string nested too deeply", tooDeep: true)
        }
        let triple = i + 2 < n && src[i + 1] == q && src[i + 2] == q
        i += triple ? 3 : 1
        var fields: [FieldState] = []
        while true {
            if i >= n {
                throw fail(
                    triple
                        ? "unterminated triple-quoted string literal (detected at line \(line))"
                        : "unterminated string literal (detected at line \(line))", line: sLine, col: sCol)
            }
            let c = src[i]
            if c == 10 {
                if !triple {
                    throw fail("unterminated string literal (detected at line \(line))", line: sLine, col: sCol)
                }
                i += 1; newline(); continue
            }
            if c == 92 {
                if i + 1 < n, src[i + 1] == 10 { i += 2; newline(); continue }
                i += 2
                continue
            }
            if let top = fields.last {
                switch top {
                case .expr(let depth):
                    switch c {
                    case 34, 39:
                        var nestedF = false
                        var k = i - 1
                        while k >= 0, PyTokenizer.isIdentChar(src[k]) {
                            if src[k] | 0x20 == 102 { nestedF = true }
                            k -= 1
                        }
                        try scanString(prefixStart: i, isF: nestedF, isRaw: false, nesting: nesting + 1)
                        continue
                    case 40, 91, 123: fields[fields.count - 1] = .expr(depth + 1)
                    case 41, 93: fields[fields.count - 1] = .expr(max(0, depth - 1))
                    case 125:
                        if depth == 0 { fields.removeLast() } else { fields[fields.count - 1] = .expr(depth - 1) }
                    case 58:
                        if depth == 0 { fields[fields.count - 1] = .spec }
                    default: break
                    }
                case .spec:
                    if c == 123 { fields.append(.expr(0)) } else if c == 125 { fields.removeLast() }
                }
                i += 1
                continue
            }
            if isF && c == 123 {
                if i + 1 < n, src[i + 1] == 123 { i += 2; continue }
                fields.append(.expr(0))
                i += 1
                continue
            }
            if c == q {
                if !triple { i += 1; return }
                if i + 2 < n, src[i + 1] == q, src[i + 2] == q { i += 3; return }
            }
            i += 1
        }
    }

    private mutating func scanNumber() {
        let n = src.count
        func isDigitish(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || b == 95
        }
        if src[i] == 48, i + 1 < n, [120, 88, 111, 79, 98, 66].contains(src[i + 1]) {
            i += 2
            while i < n, PyTokenizer.isIdentChar(src[i]), src[i] < 0x80 { i += 1 }
            return
        }
        while i < n, isDigitish(src[i]) { i += 1 }
        if i < n, src[i] == 46 {
            i += 1
            while i < n, isDigitish(src[i]) { i += 1 }
        }
        if i < n, src[i] | 0x20 == 101 {
            var j = i + 1
            if j < n, src[j] == 43 || src[j] == 45 { j += 1 }
            if j < n, src[j] >= 48 && src[j] <= 57 {
                i = j
                while i < n, isDigitish(src[i]) { i += 1 }
            }
        }
        if i < n, src[i] | 0x20 == 106 { i += 1 }
    }

    private mutating func scanOperator() throws(PySyntaxError) {
        let n = src.count
        let c = src[i]
        let c1: UInt8 = i + 1 < n ? src[i + 1] : 0
        let c2: UInt8 = i + 2 < n ? src[i + 2] : 0
        switch c {
        case 40, 91, 123:
            if brackets.count >= PyTokenizer.maxBracketDepth {
                throw PySyntaxError(line: Int(line), col: Int(col) + 1, message: "too many nested parentheses", tooDeep: true)
            }
            brackets.append((c, line, col))
            i += 1
            return
        case 41, 93, 125:
            let open: UInt8 = c == 41 ? 40 : (c == 93 ? 91 : 123)
            guard let last = brackets.last else {
                throw fail("unmatched '\(Character(UnicodeScalar(c)))'")
            }
            if last.0 != open {
                throw fail(
                    "closing parenthesis '\(Character(UnicodeScalar(c)))' does not match opening parenthesis '\(Character(UnicodeScalar(last.0)))'")
            }
            brackets.removeLast()
            i += 1
            return
        case 44, 59, 126: i += 1; return // , ; ~
        case 46: // . or ...
            i += (c1 == 46 && c2 == 46) ? 3 : 1
            return
        case 58: // : :=
            i += c1 == 61 ? 2 : 1
            return
        case 61, 33: // = == != (! alone is invalid outside f-strings)
            if c1 == 61 { i += 2; return }
            if c == 33 { throw fail("invalid syntax") }
            i += 1
            return
        case 45: // - -= ->
            i += (c1 == 61 || c1 == 62) ? 2 : 1
            return
        case 42, 47, 60, 62: // * ** *= **= / // /= //= < << <= <<= > >> >= >>= <>
            if c1 == c {
                i += c2 == 61 ? 3 : 2
            } else if c1 == 61 {
                i += 2
            } else {
                i += 1
            }
            return
        case 43, 37, 38, 124, 94, 64: // + % & | ^ @ and their augmented forms
            i += c1 == 61 ? 2 : 1
            return
        default:
            throw fail("invalid character '\(String(decoding: src[i..<min(n, i + 1)], as: UTF8.self))' (U+\(String(c, radix: 16, uppercase: true)))")
        }
    }
}
