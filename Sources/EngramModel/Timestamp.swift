import Foundation

/// ISO 8601 UTC timestamps as stored (`2026-11-21T23:10:00.123Z`: sortable as text). Here, beside the stores, because
/// a store stamps time keys with them (`successor(of:preferred:)`); relative times for readers are in EngramCore.
public enum Timestamp {
    /// Rounded to the nearest millisecond, so `format(parse(t)!) == t` for every `t` that `format` wrote: time
    /// keys built from a stored one (`successor(of:)`) must not depend on how a binary fraction happens to truncate.
    public static func format(_ date: Date) -> String {
        format(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// Milliseconds since 1970 as stored text.
    public static func format(milliseconds: Int64) -> String {
        var t = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let ms = Int(milliseconds - Int64(t) * 1000)
        var tm = tm()
        gmtime_r(&t, &tm)
        // Built byte by byte: String(format:) goes through NSString and shows up in processing profiles.
        var out = [UInt8]()
        out.reserveCapacity(24)
        func digits(_ v: Int, _ width: Int) {
            var d = [UInt8](repeating: 48, count: width)
            var n = v
            for i in stride(from: width - 1, through: 0, by: -1) { d[i] = UInt8(48 + n % 10); n /= 10 }
            out.append(contentsOf: d)
        }
        digits(Int(tm.tm_year) + 1900, 4); out.append(45)
        digits(Int(tm.tm_mon) + 1, 2); out.append(45)
        digits(Int(tm.tm_mday), 2); out.append(84)
        digits(Int(tm.tm_hour), 2); out.append(58)
        digits(Int(tm.tm_min), 2); out.append(58)
        digits(Int(tm.tm_sec), 2); out.append(46)
        digits(ms, 3); out.append(90)
        return String(decoding: out, as: UTF8.self)
    }

    /// The stored text as whole milliseconds since 1970 (digits past the third fraction digit are dropped).
    public static func milliseconds(_ text: String) -> Int64? {
        guard let (seconds, ms) = fields(text) else { return nil }
        return seconds * 1000 + Int64(ms)
    }

    /// The smallest key strictly after both `latest` (a stored key) and `preferred`: keys made this way are
    /// unique and increasing by construction, whatever the clock or the order events are processed in.
    public static func successor(of latest: String?, preferred: String) -> String {
        guard let latest, let last = milliseconds(latest) else { return preferred }
        let wanted = milliseconds(preferred) ?? last + 1
        return wanted > last ? preferred : format(milliseconds: last + 1)
    }

    /// Seconds since 1970 and the millisecond digits of stored text.
    private static func fields(_ text: String) -> (seconds: Int64, ms: Int)? {
        let s = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= s.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                let c = s[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2) else { return nil }
        var h = 0, mi = 0, sec = 0, ms = 0
        if s.count > 10 {
            guard let hh = num(11, 2), let mm = num(14, 2) else { return nil }
            h = hh; mi = mm
            sec = num(17, 2) ?? 0
            if s.count > 20, s[19] == UInt8(ascii: ".") {
                var i = 20, scale = 100
                while i < s.count, s[i] >= 48, s[i] <= 57 { if scale > 0 { ms += Int(s[i] - 48) * scale; scale /= 10 }; i += 1 }
            }
        }
        var tm = tm()
        tm.tm_year = Int32(y - 1900); tm.tm_mon = Int32(mo - 1); tm.tm_mday = Int32(d)
        tm.tm_hour = Int32(h); tm.tm_min = Int32(mi); tm.tm_sec = Int32(sec)
        return (Int64(timegm(&tm)), ms)
    }

    /// Parses what `format` writes, plus plain dates (`2026-11-21`) and seconds without fraction.
    public static func parse(_ text: String) -> Date? {
        guard let (seconds, ms) = fields(text) else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(ms) / 1000)
    }
}
