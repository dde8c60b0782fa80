import Foundation

/// Privacy before storage: drops `<private>…</private>` spans and redacts secrets.
///
/// Private spans: tags are case-insensitive, may span lines and repeat; an unclosed `<private>`
/// drops everything after it (fail closed). Secrets become `[REDACTED:<kind>]`, where kind is one of
/// anthropic_key, openai_key, aws_access_key, aws_secret_key, github_token, gitlab_token, slack_token,
/// stripe_key, google_api_key, huggingface_token, npm_token, bearer_token, jwt, private_key,
/// url_password, password, secret (assignments to secret-looking names; rule in `SecretKeyName`),
/// or custom (extra patterns). Text without any of these comes back unchanged and unallocated.
public struct PrivacyFilter: Sendable {
    private let extra: SecretPatterns?

    public init() { extra = nil }

    /// A filter that also redacts every match of `extraPatterns` (ICU regular expressions) as `[REDACTED:custom]`.
    public init(extraPatterns: [String]) throws {
        extra = extraPatterns.isEmpty ? nil : try SecretPatterns(extraPatterns)
    }

    /// Cleans one string.
    public func clean(_ text: String) -> String {
        var out = Self.scrub(text)
        if let extra { out = extra.redact(out) }
        return out
    }

    /// Cleans every string inside a JSON value; an object member whose key names a secret
    /// (`password`, `apiKey`, `client_secret`, …) has its string value redacted outright.
    public func clean(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            return .string(clean(s))
        case .array(let a):
            return .array(a.map { clean($0) })
        case .object(let o):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(o.count)
            for (key, member) in o {
                if case .string(let s) = member, SecretKeyName.mightBeSecret(key),
                    let kind = SecretKeyName.classify(key),
                    SecretKeyName.valueLooksSecret(Substring(s), quoted: true, envStyle: false)
                {
                    out[key] = .string("[REDACTED:\(kind.rawValue)]")
                } else {
                    out[key] = clean(member)
                }
            }
            return .object(out)
        case .null, .bool, .number:
            return value
        }
    }

    /// Private spans first (so nothing inside them is even scanned), then secrets.
    static func scrub(_ text: String) -> String {
        var text = text
        let result: String? = text.withUTF8 { buf -> String? in
            let spans = privateSpans(buf)
            if spans.isEmpty {
                let matches = SecretScanner(buf).scan()
                return matches.isEmpty ? nil : rebuild(buf, redacting: matches)
            }
            // Remove spans, then scan the remainder.
            var kept: [UInt8] = []
            kept.reserveCapacity(buf.count)
            var pos = 0
            for span in spans {
                kept.append(contentsOf: UnsafeBufferPointer(rebasing: buf[pos..<span.lowerBound]))
                pos = span.upperBound
            }
            kept.append(contentsOf: UnsafeBufferPointer(rebasing: buf[pos..<buf.count]))
            return kept.withUnsafeBufferPointer { kb in
                let matches = SecretScanner(kb).scan()
                return rebuild(kb, redacting: matches)
            }
        }
        return result ?? text
    }

    /// Byte ranges of `<private>…</private>` spans, tags included; an unclosed one runs to the end.
    static func privateSpans(_ b: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        let n = b.count
        var i = 0
        while i < n {
            if b[i] == UInt8(ascii: "<"), matchesCI(b, i, "<private>") {
                var j = i + 9
                var end = n
                while j < n {
                    if b[j] == UInt8(ascii: "<"), matchesCI(b, j, "</private>") {
                        end = j + 10
                        break
                    }
                    j += 1
                }
                spans.append(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        return spans
    }

    private static func matchesCI(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ lit: StaticString) -> Bool {
        let len = lit.utf8CodeUnitCount
        guard i + len <= b.count else { return false }
        return lit.withUTF8Buffer { lb in
            for k in 0..<len where SecretKeyName.lowerASCII(b[i + k]) != lb[k] { return false }
            return true
        }
    }

    private static func rebuild(_ b: UnsafeBufferPointer<UInt8>, redacting matches: [SecretScanner.Match]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var pos = 0
        for m in matches {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[pos..<m.start]))
            out.append(contentsOf: "[REDACTED:\(m.kind)]".utf8)
            pos = m.end
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[pos..<b.count]))
        return String(decoding: out, as: UTF8.self)
    }
}
