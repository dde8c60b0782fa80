import Foundation

/// Python `repr` for str, bytes and numbers, as `ast.unparse` prints constants.
enum PyRepr {
    static func hex(_ v: UInt32, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func str(_ s: String) -> String {
        let useDouble = s.contains("'") && !s.contains("\"")
        let q: Unicode.Scalar = useDouble ? "\"" : "'"
        var out = String(q)
        for sc in s.unicodeScalars {
            switch sc {
            case q, "\\": out += "\\"; out.unicodeScalars.append(sc)
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if sc.value < 0x20 || sc.value == 0x7F {
                    out += "\\x" + hex(sc.value, 2)
                } else if sc.value < 0x7F || PyUnparser.isPrintable(sc) {
                    out.unicodeScalars.append(sc)
                } else if sc.value <= 0xFF {
                    out += "\\x" + hex(sc.value, 2)
                } else if sc.value <= 0xFFFF {
                    out += "\\u" + hex(sc.value, 4)
                } else {
                    out += "\\U" + hex(sc.value, 8)
                }
            }
        }
        out.unicodeScalars.append(q)
        return out
    }

    static func bytes(_ b: [UInt8]) -> String {
        let useDouble = b.contains(39) && !b.contains(34)
        let q: UInt8 = useDouble ? 34 : 39
        var out = "b" + String(UnicodeScalar(q))
        for c in b {
            switch c {
            case q, 92: out += "\\" + String(UnicodeScalar(c))
            case 9: out += "\\t"
            case 10: out += "\\n"
            case 13: out += "\\r"
            default:
                if c < 0x20 || c >= 0x7F { out += "\\x" + hex(UInt32(c), 2) } else { out.unicodeScalars.append(UnicodeScalar(c)) }
            }
        }
        return out + String(UnicodeScalar(q))
    }

    /// Python repr of a numeric literal's value, with overflow spelled `1e309` like `ast.unparse`.
    static func number(_ literal: String) -> String {
        var t = literal.replacingOccurrences(of: "_", with: "")
        let lower = t.lowercased()
        if lower.hasSuffix("j") {
            t.removeLast()
            var r = float(Double(t) ?? 0)
            if r.hasSuffix(".0") { r.removeLast(2) }
            return r + "j"
        }
        if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b") {
            let radix = lower.hasPrefix("0x") ? 16 : (lower.hasPrefix("0o") ? 8 : 2)
            return bigIntDecimal(String(lower.dropFirst(2)), radix: radix) ?? literal
        }
        if lower.contains(".") || lower.contains("e") {
            return float(Double(t) ?? 0)
        }
        let trimmed = t.drop(while: { $0 == "0" })
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    static func bigIntDecimal(_ digits: String, radix: Int) -> String? {
        // Little-endian base 1e9 limbs.
        var limbs: [UInt64] = [0]
        for ch in digits {
            guard let d = ch.hexDigitValue, d < radix else { return nil }
            var carry = UInt64(d)
            for k in 0..<limbs.count {
                let v = limbs[k] * UInt64(radix) + carry
                limbs[k] = v % 1_000_000_000
                carry = v / 1_000_000_000
            }
            while carry > 0 { limbs.append(carry % 1_000_000_000); carry /= 1_000_000_000 }
        }
        var s = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            s += String(repeating: "0", count: 9 - part.count) + part
        }
        return s
    }

    /// Python float repr: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16.
    static func float(_ d: Double) -> String {
        if d.isInfinite { return d < 0 ? "-1e309" : "1e309" }
        if d.isNaN { return "(1e309-1e309)" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest round-trip digits; re-layout them Python's way.
        let desc = "\(abs(d))"
        var mant = desc
        var exp = 0
        if let eIdx = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mant = String(desc[..<eIdx])
            exp = Int(desc[desc.index(after: eIdx)...]) ?? 0
        }
        var intPart = mant
        var frac = ""
        if let dot = mant.firstIndex(of: ".") {
            intPart = String(mant[..<dot])
            frac = String(mant[mant.index(after: dot)...])
        }
        var digits = intPart + frac
        var pointPos = intPart.count + exp // decimal point position relative to digits start
        let lead = digits.prefix(while: { $0 == "0" }).count
        digits.removeFirst(lead)
        pointPos -= lead
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { digits = "0"; pointPos = 1 }
        let decExp = pointPos - 1
        var out: String
        if decExp >= -4 && decExp < 16 {
            if pointPos <= 0 {
                out = "0." + String(repeating: "0", count: -pointPos) + digits
            } else if pointPos >= digits.count {
                out = digits + String(repeating: "0", count: pointPos - digits.count) + ".0"
            } else {
                let idx = digits.index(digits.startIndex, offsetBy: pointPos)
                out = String(digits[..<idx]) + "." + String(digits[idx...])
            }
        } else {
            var m = String(digits.first!)
            if digits.count > 1 { m += "." + digits.dropFirst() }
            let es = String(abs(decExp))
            out = m + "e" + (decExp < 0 ? "-" : "+") + (es.count < 2 ? "0" + es : es)
        }
        return (d < 0 ? "-" : "") + out
    }
}
