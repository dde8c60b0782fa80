import Foundation

/// Turns file bytes into normalised UTF-8 bytes: honours a PEP 263 coding line,
/// strips a BOM, converts CRLF/CR to LF, rejects NUL bytes and invalid UTF-8.
enum PySourceDecoder {
    static func decode(_ data: Data) throws(PySyntaxError) -> [UInt8] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            throw PySyntaxError(line: line, col: 0, message: "source code cannot contain null bytes")
        }
        let encoding = declaredEncoding(bytes).map(normalisedEncodingName)
        switch encoding {
        case nil, "utf-8", "utf8", "utf_8":
            break
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859_1", "l1":
            bytes = latin1ToUTF8(bytes)
        case "ascii", "us-ascii":
            if let bad = bytes.firstIndex(where: { $0 >= 0x80 }) {
                throw PySyntaxError(
                    line: lineOf(bytes, bad), col: 0,
                    message: "'ascii' codec can't decode byte 0x\(String(bytes[bad], radix: 16))")
            }
        case "cp1252", "windows-1252":
            guard let s = String(data: Data(bytes), encoding: .windowsCP1252) else {
                throw PySyntaxError(line: 1, col: 0, message: "cannot decode as cp1252")
            }
            bytes = Array(s.utf8)
        default:
            throw PySyntaxError(line: 1, col: 0, message: "unknown encoding: \(encoding ?? "")")
        }
        if let bad = firstInvalidUTF8(bytes) {
            throw PySyntaxError(
                line: lineOf(bytes, bad), col: 0,
                message: "(unicode error) 'utf-8' codec can't decode byte 0x\(String(bytes[bad], radix: 16)) in position \(bad)")
        }
        return normaliseNewlines(bytes)
    }

    /// CPython's `get_normal_name`: `utf-8-foo` is utf-8, `latin-1-foo` / `iso-latin-1` are latin-1.
    static func normalisedEncodingName(_ name: String) -> String {
        let n = name.replacingOccurrences(of: "_", with: "-")
        if n == "utf-8" || n.hasPrefix("utf-8-") { return "utf-8" }
        for latin in ["latin-1", "iso-8859-1", "iso-latin-1"] where n == latin || n.hasPrefix(latin + "-") {
            return "latin-1"
        }
        return n
    }

    static func lineOf(_ bytes: [UInt8], _ index: Int) -> Int {
        var line = 1
        var i = 0
        while i < index { if bytes[i] == 10 { line += 1 }; i += 1 }
        return line
    }

    /// PEP 263: `coding[:=]\s*([-\w.]+)` in a comment on line 1 or 2.
    static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        var lineStart = 0
        for _ in 0..<2 {
            guard lineStart < bytes.count else { return nil }
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 10, bytes[lineEnd] != 13 { lineEnd += 1 }
            let line = bytes[lineStart..<lineEnd]
            var i = line.startIndex
            while i < line.endIndex, line[i] == 32 || line[i] == 9 || line[i] == 12 { i += 1 }
            if i < line.endIndex, line[i] == UInt8(ascii: "#") {
                let text = String(decoding: line[i...], as: UTF8.self)
                if let r = text.range(of: "coding") {
                    var rest = text[r.upperBound...]
                    if let c = rest.first, c == ":" || c == "=" {
                        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
                        let name = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
                        if !name.isEmpty { return name.lowercased() }
                    }
                }
            } else if i < line.endIndex {
                return nil // only a comment or blank first line may precede the declaration
            }
            lineStart = lineEnd
            if lineStart < bytes.count, bytes[lineStart] == 13 { lineStart += 1 }
            if lineStart < bytes.count, bytes[lineStart] == 10 { lineStart += 1 }
        }
        return nil
    }

    static func latin1ToUTF8(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for b in bytes {
            if b < 0x80 {
                out.append(b)
            } else {
                out.append(0xC0 | (b >> 6))
                out.append(0x80 | (b & 0x3F))
            }
        }
        return out
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            var need = 0
            var minScalar: UInt32 = 0
            var scalar: UInt32 = 0
            if b & 0xE0 == 0xC0 {
                need = 1; scalar = UInt32(b & 0x1F); minScalar = 0x80
            } else if b & 0xF0 == 0xE0 {
                need = 2; scalar = UInt32(b & 0x0F); minScalar = 0x800
            } else if b & 0xF8 == 0xF0 {
                need = 3; scalar = UInt32(b & 0x07); minScalar = 0x10000
            } else {
                return i
            }
            for k in 1...need {
                guard i + k < n, bytes[i + k] & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return i }
            i += need + 1
        }
        return nil
    }

    static func normaliseNewlines(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(13) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 13 {
                out.append(10)
                if i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }
}
