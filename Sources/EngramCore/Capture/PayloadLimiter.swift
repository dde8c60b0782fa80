import Foundation

/// Keeps a captured payload bounded: a 50 MB tool output is stored as its head and tail
/// with a marker saying how much was left out, never whole.
public enum PayloadLimiter {
    public static let marker = "[engram: %d bytes omitted]"

    /// Shrinks the longest strings (and very long arrays) until the serialized value fits in `maxBytes`.
    public static func bound(_ value: JSONValue, maxBytes: Int) -> JSONValue {
        var cap = max(1024, maxBytes / 2)
        var current = value
        for _ in 0..<12 {
            current = shrink(value, stringCap: cap, arrayCap: max(16, cap / 64))
            if current.serialized().utf8.count <= maxBytes { return current }
            cap /= 2
        }
        return current
    }

    static func shrink(_ v: JSONValue, stringCap: Int, arrayCap: Int) -> JSONValue {
        switch v {
        case .string(let s): return .string(truncate(s, to: stringCap))
        case .array(let a):
            var items = a.prefix(arrayCap).map { shrink($0, stringCap: stringCap, arrayCap: arrayCap) }
            if a.count > arrayCap { items.append(.string("[engram: \(a.count - arrayCap) more items omitted]")) }
            return .array(items)
        case .object(let o): return .object(o.mapValues { shrink($0, stringCap: stringCap, arrayCap: arrayCap) })
        default: return v
        }
    }

    /// Keeps the first three quarters and the last quarter of the allowance (errors and
    /// test summaries live at the end of outputs), cut on scalar boundaries.
    public static func truncate(_ s: String, to cap: Int) -> String {
        let utf8 = s.utf8
        guard utf8.count > cap else { return s }
        let headBytes = cap * 3 / 4
        let tailBytes = cap - headBytes
        var headEnd = utf8.index(utf8.startIndex, offsetBy: headBytes)
        while headEnd > utf8.startIndex, headEnd.samePosition(in: s.unicodeScalars) == nil {
            headEnd = utf8.index(before: headEnd)
        }
        var tailStart = utf8.index(utf8.endIndex, offsetBy: -tailBytes)
        while tailStart < utf8.endIndex, tailStart.samePosition(in: s.unicodeScalars) == nil {
            tailStart = utf8.index(after: tailStart)
        }
        let omitted = utf8.distance(from: headEnd, to: tailStart)
        return String(s[..<headEnd]) + "\n…" + String(format: marker, omitted) + "…\n" + String(s[tailStart...])
    }
}
