import Foundation

/// Number formats shared by the report renderers; locale-free so golden output is stable.
enum ReportNumbers {
    /// 1847 → "1,847".
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 156_000 → "156K", 1_500 → "1.5K", 2_300_000 → "2.3M".
    static func compact(_ n: Int) -> String {
        let d = Double(n)
        if n < 1000 { return String(n) }
        if n < 10_000 { return trim(String(format: "%.1f", d / 1000)) + "K" }
        if n < 1_000_000 { return String(Int((d / 1000).rounded())) + "K" }
        return trim(String(format: "%.1f", d / 1_000_000)) + "M"
    }

    /// A compression ratio as "42:1", or "3.5:1" below 10.
    static func ratio(_ r: Double) -> String {
        r >= 10 ? "\(Int(r.rounded())):1" : trim(String(format: "%.1f", r)) + ":1"
    }

    static func ms(_ v: Double) -> String { "\(Int(v.rounded()))ms" }

    /// One decimal, without a trailing ".0".
    static func oneDecimal(_ v: Double) -> String { trim(String(format: "%.1f", v)) }

    static func trim(_ s: String) -> String { s.hasSuffix(".0") ? String(s.dropLast(2)) : s }

    /// "2026-11-21 09:30 UTC" from a stored timestamp.
    static func minute(_ iso: String) -> String {
        guard iso.count >= 16 else { return iso }
        let chars = Array(iso)
        return String(chars[0..<10]) + " " + String(chars[11..<16]) + " UTC"
    }
}
