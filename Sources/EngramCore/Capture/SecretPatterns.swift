import Foundation

/// User-supplied extra secret patterns, compiled once. NSRegularExpression is immutable after
/// creation and documented thread-safe, hence the unchecked Sendable.
final class SecretPatterns: @unchecked Sendable {
    enum PatternError: LocalizedError {
        case invalid(String, String)
        var errorDescription: String? {
            switch self {
            case .invalid(let pattern, let reason):
                return "The privacy pattern \(pattern) is not a valid regular expression (\(reason)); fix or remove it in the config."
            }
        }
    }

    private let regexes: [NSRegularExpression]

    init(_ patterns: [String]) throws {
        regexes = try patterns.map { p in
            do { return try NSRegularExpression(pattern: p) } catch {
                throw PatternError.invalid(p, error.localizedDescription)
            }
        }
    }

    func redact(_ text: String) -> String {
        var out = text
        for r in regexes {
            let range = NSRange(out.startIndex..<out.endIndex, in: out)
            out = r.stringByReplacingMatches(in: out, range: range, withTemplate: "[REDACTED:custom]")
        }
        return out
    }
}
