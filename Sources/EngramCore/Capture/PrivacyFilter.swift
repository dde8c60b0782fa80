import Foundation

/// Privacy before storage: drops `<private>…</private>` spans and redacts secrets.
///
/// Private spans: tags are case-insensitive, may span lines and repeat; an unclosed `<private>`
/// drops everything after it (fail closed). Secrets become `[REDACTED:<kind>]`, where kind is one of
/// anthropic_key, openai_key, aws_access_key, aws_secret_key, github_token, gitlab_token, slack_token,
/// stripe_key, google_api_key, huggingface_token, npm_token, bearer_token, jwt, private_key,
/// url_password, webhook_url, password (also command-line password flags), secret (a secret-looking name
/// followed by its value after `=`, `:`, whitespace, a line break or "is"; rule in `SecretKeyName`),
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

    /// Byte ranges of `<private>…</private>` spans, tags included. A real scanner, not a pattern: tags in any
    /// case, with whitespace inside (`< private >`, `</ private>`) and attributes (`<private reason="x">`);
    /// spans nest (`<private>a <private>b</private> c</private>` is one span); an unclosed span runs to the end
    /// (fail closed); `<private/>` is an empty span. `<privateer>` is not a tag.
    static func privateSpans(_ b: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        let n = b.count
        var i = 0
        var depth = 0
        var start = 0
        while i < n {
            guard b[i] == UInt8(ascii: "<"), let tag = privateTag(b, at: i) else { i += 1; continue }
            switch tag.kind {
            case .open:
                if depth == 0 { start = i }
                depth += 1
            case .close:
                if depth > 0 {
                    depth -= 1
                    if depth == 0 { spans.append(start..<tag.end) }
                }
            case .empty:
                if depth == 0 { spans.append(i..<tag.end) }
            }
            i = tag.end
        }
        if depth > 0 { spans.append(start..<n) }
        return spans
    }

    enum TagKind { case open, close, empty }

    /// The `private` tag starting at `i` (which holds `<`), and the index just past its `>`.
    static func privateTag(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (kind: TagKind, end: Int)? {
        let n = b.count
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
        var j = i + 1
        while j < n, isSpace(b[j]) { j += 1 }
        var closing = false
        if j < n, b[j] == UInt8(ascii: "/") {
            closing = true
            j += 1
            while j < n, isSpace(b[j]) { j += 1 }
        }
        guard matchesCI(b, j, "private") else { return nil }
        j += 7
        guard j < n, isSpace(b[j]) || b[j] == UInt8(ascii: ">") || b[j] == UInt8(ascii: "/") else { return nil }
        // Attributes up to the closing `>`, quotes respected; a tag is short and never holds another `<`.
        let limit = min(n, j + 1024)
        var quote: UInt8 = 0
        var selfClosing = false
        while j < limit {
            let c = b[j]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                return (closing ? .close : (selfClosing ? .empty : .open), j + 1)
            } else if c == UInt8(ascii: "<") {
                return nil
            } else if c == UInt8(ascii: "/") {
                selfClosing = true
                j += 1
                continue
            } else if !isSpace(c) {
                selfClosing = false
            }
            j += 1
        }
        // `<private` with no `>` in reach: fail closed, an opening that runs to the end.
        return closing ? nil : (.open, n)
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
