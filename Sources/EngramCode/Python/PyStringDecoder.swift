import Foundation

/// Decodes Python string-literal tokens (prefixes, escapes, f-string fields).
enum PyStringDecoder {
    struct Literal {
        var isBytes = false
        var isF = false
        var isRaw = false
        var isU = false
        /// Body bytes between the quotes.
        var body: ArraySlice<UInt8>
        /// Offset of the body inside the token text.
        var bodyOffset: Int
    }

    static func split(_ text: String) -> Literal {
        let bytes = Array(text.utf8)
        var lit = Literal(body: [], bodyOffset: 0)
        var k = 0
        while k < bytes.count, bytes[k] != 34, bytes[k] != 39 {
            switch bytes[k] | 0x20 {
            case 98: lit.isBytes = true
            case 102: lit.isF = true
            case 114: lit.isRaw = true
            case 117: lit.isU = true
            default: break
            }
            k += 1
        }
        guard k < bytes.count else { return lit }
        let q = bytes[k]
        let triple = k + 2 < bytes.count && bytes[k + 1] == q && bytes[k + 2] == q && bytes.count - k >= 6
        let qlen = triple ? 3 : 1
        let start = k + qlen
        let end = max(start, bytes.count - qlen)
        lit.body = bytes[start..<end]
        lit.bodyOffset = start
        return lit
    }

    /// Processes backslash escapes of a non-raw str literal body.
    static func unescape(_ body: ArraySlice<UInt8>, raw: Bool) -> String {
        if raw || !body.contains(92) { return String(decoding: body, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        func appendScalar(_ v: UInt32) {
            if let s = Unicode.Scalar(v) { out.append(contentsOf: Array(String(s).utf8)) }
        }
        while i < body.endIndex {
            let c = body[i]
            guard c == 92, i + 1 < body.endIndex else { out.append(c); i += 1; continue }
            let e = body[i + 1]
            i += 2
            switch e {
            case 10: break
            case 92: out.append(92)
            case 39: out.append(39)
            case 34: out.append(34)
            case 97: out.append(7)
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 118: out.append(11)
            case 48...55:
                var v = UInt32(e - 48)
                var n = 1
                while n < 3, i < body.endIndex, body[i] >= 48, body[i] <= 55 { v = v * 8 + UInt32(body[i] - 48); i += 1; n += 1 }
                appendScalar(v)
            case 120, 117, 85:
                let width = e == 120 ? 2 : (e == 117 ? 4 : 8)
                var v: UInt32 = 0
                var n = 0
                while n < width, i < body.endIndex, let d = Character(UnicodeScalar(body[i])).hexDigitValue {
                    v = v * 16 + UInt32(d); i += 1; n += 1
                }
                if n == width { appendScalar(v) } else { out.append(92); out.append(e) }
            default:
                out.append(92); out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytesValue(_ body: ArraySlice<UInt8>, raw: Bool) -> [UInt8] {
        if raw || !body.contains(92) { return Array(body) }
        let s = unescape(body, raw: false)
        // Escapes in bytes produce byte values, not code points.
        var out: [UInt8] = []
        for sc in s.unicodeScalars { out.append(UInt8(truncatingIfNeeded: sc.value)) }
        return out
    }
}
