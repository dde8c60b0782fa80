import Foundation

/// Relative times ("2h ago") and periods (`7d`) for what a person or agent reads and types.
extension Timestamp {
    /// "just now", "5m ago", "2h ago", "yesterday", "3 days ago", "2026-10-01".
    public static func relative(_ date: Date, now: Date) -> String {
        let s = now.timeIntervalSince(date)
        if s < 60 { return "just now" }
        if s < 3600 { return "\(Int(s / 60))m ago" }
        if s < 86400 { return "\(Int(s / 3600))h ago" }
        if s < 2 * 86400 { return "yesterday" }
        if s < 30 * 86400 { return "\(Int(s / 86400)) days ago" }
        return String(format(date).prefix(10))
    }

    public static func relative(_ iso: String, now: Date) -> String {
        guard let d = parse(iso) else { return iso }
        return relative(d, now: now)
    }

    /// Parses `30m`, `2h`, `7d`, `2w` into seconds, or an ISO date into that instant (as seconds before `now`).
    public static func since(_ text: String, now: Date) throws -> Date {
        let t = text.blankTrimmed.lowercased()
        if let unit = t.last, let n = Double(t.dropLast()), n >= 0 {
            let mult: Double? =
                switch unit {
                case "s": 1
                case "m": 60
                case "h": 3600
                case "d": 86400
                case "w": 7 * 86400
                default: nil
                }
            if let mult { return now.addingTimeInterval(-n * mult) }
        }
        if let d = parse(t) { return d }
        throw EngramError.invalidArgument("Cannot read the time \"\(text)\": use 30m, 2h, 7d, 2w or a date like 2026-11-01.")
    }
}

/// The time source, injectable so tests and golden reports run on a fixed clock.
public struct EngramClock: Sendable {
    public let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = EngramClock { Date() }
    public static func fixed(_ date: Date) -> EngramClock { EngramClock { date } }
}
