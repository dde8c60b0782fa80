import Foundation

/// Reads how long a server asked us to wait: `retry-after-ms`, then `retry-after` as seconds or an HTTP date.
enum RetryAfter {
    static func parse(headers: [String: String], now: Date) -> Duration? {
        if let milliseconds = headers["retry-after-ms"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
            milliseconds.isFinite, milliseconds >= 0
        {
            return .milliseconds(Int64(milliseconds.rounded(.up)))
        }
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) {
            guard seconds.isFinite, seconds >= 0 else { return nil }
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        guard let date = parseHTTPDate(value) else { return nil }
        let interval = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64((interval * 1000).rounded(.up)))
    }

    /// RFC 9110 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), plus the obsolete RFC 850 and asctime forms.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
