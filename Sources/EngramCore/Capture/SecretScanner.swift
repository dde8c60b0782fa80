import Foundation

/// One pass over UTF-8 bytes that finds secrets to redact. Hand-written rather than regex-based
/// because it runs in the post-tool-use hook on up to ~256 KB per call: most bytes cost one
/// switch, and the expensive checks only start at a trigger byte at a word boundary.
/// Every trigger and every redacted range is ASCII-delimited, so ranges never split a character.
struct SecretScanner {
    struct Match: Equatable {
        var start: Int
        var end: Int
        var kind: String
    }

    private let b: UnsafeBufferPointer<UInt8>
    private var n: Int { b.count }

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.b = bytes }

    func scan() -> [Match] {
        var matches: [Match] = []
        var i = 0
        while i < n {
            let c = b[i]
            var found: Match?
            switch c {
            case UInt8(ascii: ":"):
                found = urlPassword(colon: i) ?? assignment(at: i)
            case UInt8(ascii: "="):
                found = assignment(at: i)
            case UInt8(ascii: "-"):
                found = pemBlock(at: i)
            case UInt8(ascii: "s"), UInt8(ascii: "A"), UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: "r"),
                UInt8(ascii: "h"), UInt8(ascii: "n"), UInt8(ascii: "e"), UInt8(ascii: "B"), UInt8(ascii: "b"):
                if i == 0 || !Self.isTokenChar(b[i - 1]) { found = token(at: i) }
            default:
                break
            }
            if let m = found, m.end > m.start {
                matches.append(m)
                i = m.end
            } else {
                i += 1
            }
        }
        return matches
    }

    // MARK: provider tokens

    /// A token that starts at `i` because of its recognisable prefix.
    func token(at i: Int) -> Match? {
        switch b[i] {
        case UInt8(ascii: "s"):
            if has("sk-ant-", at: i) { return run(from: i, skip: 7, min: 20, .tokenDash, "anthropic_key") }
            if has("sk_live_", at: i) || has("sk_test_", at: i) { return run(from: i, skip: 8, min: 16, .alnum, "stripe_key") }
            if has("sk-", at: i) {
                let end = scanRun(from: i + 3, .tokenDash)
                let tail = end - (i + 3)
                guard tail >= 20, containsDigitOrUpper(i + 3, end) else { return nil }
                return Match(start: i, end: end, kind: "openai_key")
            }
        case UInt8(ascii: "r"):
            if has("rk_live_", at: i) || has("rk_test_", at: i) { return run(from: i, skip: 8, min: 16, .alnum, "stripe_key") }
        case UInt8(ascii: "A"):
            if has("AKIA", at: i) || has("ASIA", at: i) {
                let end = scanRun(from: i + 4, .upperDigit)
                guard end - (i + 4) == 16, end == n || !Self.isAlnum(b[end]) else { return nil }
                return Match(start: i, end: end, kind: "aws_access_key")
            }
            if has("AIza", at: i) { return run(from: i, skip: 4, min: 30, .tokenDash, "google_api_key") }
        case UInt8(ascii: "g"):
            if has("ghp_", at: i) || has("gho_", at: i) || has("ghu_", at: i) || has("ghs_", at: i) || has("ghr_", at: i) {
                return run(from: i, skip: 4, min: 20, .alnum, "github_token")
            }
            if has("github_pat_", at: i) { return run(from: i, skip: 11, min: 20, .word, "github_token") }
            if has("glpat-", at: i) { return run(from: i, skip: 6, min: 20, .tokenDash, "gitlab_token") }
        case UInt8(ascii: "x"):
            if has("xox", at: i), i + 4 < n, "abprs".utf8.contains(b[i + 3]), b[i + 4] == UInt8(ascii: "-") {
                return run(from: i, skip: 5, min: 10, .tokenDash, "slack_token")
            }
        case UInt8(ascii: "h"):
            if has("hf_", at: i) { return run(from: i, skip: 3, min: 30, .alnum, "huggingface_token") }
        case UInt8(ascii: "n"):
            if has("npm_", at: i) { return run(from: i, skip: 4, min: 36, .alnum, "npm_token") }
        case UInt8(ascii: "e"):
            if has("eyJ", at: i) { return jwt(at: i) }
        case UInt8(ascii: "B"), UInt8(ascii: "b"):
            if hasCI("bearer", at: i) { return bearer(at: i) }
        default:
            break
        }
        return nil
    }

    private func jwt(at i: Int) -> Match? {
        let e1 = scanRun(from: i, .base64url)
        guard e1 - i >= 10, e1 < n, b[e1] == UInt8(ascii: ".") else { return nil }
        let e2 = scanRun(from: e1 + 1, .base64url)
        guard e2 - e1 - 1 >= 10, e2 < n, b[e2] == UInt8(ascii: ".") else { return nil }
        let e3 = scanRun(from: e2 + 1, .base64url)
        guard e3 - e2 - 1 >= 10 else { return nil }
        return Match(start: i, end: e3, kind: "jwt")
    }

    /// `Bearer <token>`: keeps the word, redacts the credential.
    private func bearer(at i: Int) -> Match? {
        var j = i + 6
        guard j < n, b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "\t") else { return nil }
        while j < n, b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "\t") { j += 1 }
        let end = scanRun(from: j, .bearer)
        guard end - j >= 16 else { return nil }
        return Match(start: j, end: end, kind: "bearer_token")
    }

    /// `-----BEGIN … PRIVATE KEY-----` through the matching END line; an unterminated block
    /// redacts to the end of the text (fail closed).
    private func pemBlock(at i: Int) -> Match? {
        guard has("-----BEGIN ", at: i) else { return nil }
        let headerLimit = min(n, i + 80)
        var j = i + 11
        while j < headerLimit, b[j] != UInt8(ascii: "-"), b[j] != 10 { j += 1 }
        guard has("-----", at: j) else { return nil }
        let header = UnsafeBufferPointer(rebasing: b[(i + 11)..<j])
        guard SecretKeyName.containsCI(header, "private key") else { return nil }
        var k = j + 5
        while k < n {
            if b[k] == UInt8(ascii: "-"), has("-----END ", at: k) {
                var e = k + 9
                while e < n, b[e] != UInt8(ascii: "-"), b[e] != 10 { e += 1 }
                if has("-----", at: e) { return Match(start: i, end: e + 5, kind: "private_key") }
                return Match(start: i, end: e, kind: "private_key")
            }
            k += 1
        }
        return Match(start: i, end: n, kind: "private_key")
    }

    // MARK: URLs

    /// `scheme://user:PASSWORD@host`: redacts only the password.
    private func urlPassword(colon i: Int) -> Match? {
        guard i + 2 < n, b[i + 1] == UInt8(ascii: "/"), b[i + 2] == UInt8(ascii: "/"), i > 0, Self.isAlpha(b[i - 1])
        else { return nil }
        var j = i + 3
        var firstColon = -1
        var lastAt = -1
        while j < n {
            let c = b[j]
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") || c <= 32
                || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">")
                || c == UInt8(ascii: "\\")
            {
                break
            }
            if c == UInt8(ascii: ":"), firstColon < 0 { firstColon = j }
            if c == UInt8(ascii: "@") { lastAt = j }
            j += 1
        }
        guard firstColon > 0, lastAt > firstColon + 1 else { return nil }
        return Match(start: firstColon + 1, end: lastAt, kind: "url_password")
    }

    // MARK: assignments

    /// `KEY=value`, `key: value`, `"key": "value"` where the key names a secret.
    private func assignment(at i: Int) -> Match? {
        let c = b[i]
        if i + 1 < n, b[i + 1] == UInt8(ascii: "=") || b[i + 1] == UInt8(ascii: ":") { return nil }
        if i > 0 {
            let p = b[i - 1]
            if p == UInt8(ascii: "=") || p == UInt8(ascii: "!") || p == UInt8(ascii: "<") || p == UInt8(ascii: ">")
                || p == UInt8(ascii: ":")
            {
                return nil
            }
        }
        if c == UInt8(ascii: ":"), i + 1 < n, b[i + 1] == UInt8(ascii: "/") { return nil }
        // Key, looking back.
        var j = i - 1
        while j >= 0, b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "\t") { j -= 1 }
        guard j >= 0 else { return nil }
        // os.environ["API_KEY"] = …, ENV['TOKEN'] = …: the key is the quoted subscript.
        if b[j] == UInt8(ascii: "]"), j > 0, b[j - 1] == UInt8(ascii: "\"") || b[j - 1] == UInt8(ascii: "'") { j -= 1 }
        var keyStart: Int
        var keyEnd: Int
        if b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'") {
            let q = b[j]
            keyEnd = j
            if j > 0, b[j - 1] == UInt8(ascii: "\\") { keyEnd = j - 1 }
            var s = keyEnd - 1
            let limit = max(0, keyEnd - 100)
            while s >= limit, b[s] != q, b[s] != 10 { s -= 1 }
            guard s >= limit, s >= 0, b[s] == q else { return nil }
            keyStart = s + 1
            if keyStart < keyEnd, b[keyEnd - 1] == UInt8(ascii: "\\") { keyEnd -= 1 }
        } else {
            keyEnd = j + 1
            var s = j
            let limit = max(0, keyEnd - 100)
            while s >= limit, Self.isKeyChar(b[s]) { s -= 1 }
            keyStart = s + 1
        }
        guard keyEnd > keyStart, keyEnd - keyStart <= 100 else { return nil }
        // A key is one identifier-like word; anything else between quotes is text, not a key.
        for k in keyStart..<keyEnd where !Self.isKeyChar(b[k]) { return nil }
        let keyBytes = UnsafeBufferPointer(rebasing: b[keyStart..<keyEnd])
        guard SecretKeyName.mightBeSecret(keyBytes) else { return nil }
        let keyName = String(decoding: keyBytes, as: UTF8.self)
        guard let kind = SecretKeyName.classify(keyName) else { return nil }
        // Env style (UPPER_SNAKE names, `export x=…`, `set -x` aside): bare values are literals, not code.
        let envStyle = (keyName.contains(where: { $0.isLetter }) && !keyName.contains(where: { $0.isLowercase }))
            || (keyStart >= 7 && has("export ", at: keyStart - 7))
        // Value, looking forward.
        var k = i + 1
        while k < n, b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "\t") { k += 1 }
        guard k < n else { return nil }
        var vStart: Int
        var vEnd: Int
        var quoted = false
        if b[k] == UInt8(ascii: "\"") || b[k] == UInt8(ascii: "'") || b[k] == UInt8(ascii: "`")
            || (b[k] == UInt8(ascii: "\\") && k + 1 < n && b[k + 1] == UInt8(ascii: "\""))
        {
            let escapedQuote = b[k] == UInt8(ascii: "\\")
            let q = escapedQuote ? UInt8(ascii: "\"") : b[k]
            vStart = k + (escapedQuote ? 2 : 1)
            var e = vStart
            var closed = false
            let limit = min(n, vStart + 512)
            while e < limit, b[e] != 10 {
                if escapedQuote {
                    if b[e] == UInt8(ascii: "\\"), e + 1 < n, b[e + 1] == q { closed = true; break }
                    // An escaped newline inside the "value": this is code or prose, not a secret.
                    if b[e] == UInt8(ascii: "\\"), e + 1 < n, b[e + 1] == UInt8(ascii: "n") { break }
                } else {
                    if b[e] == UInt8(ascii: "\\") { e += 2; continue }
                    if b[e] == q { closed = true; break }
                }
                e += 1
            }
            guard closed else { return nil }
            vEnd = min(e, n)
            quoted = true
        } else {
            vStart = k
            var e = k
            while e < n, !Self.isBareStop(b[e]) { e += 1 }
            vEnd = e
        }
        guard vEnd > vStart else { return nil }
        // `Authorization: Bearer …` is left to the bearer rule; `Basic …` keeps its scheme word.
        if hasCI("bearer ", at: vStart) { return nil }
        if hasCI("basic ", at: vStart) {
            vStart += 6
            if !quoted { vEnd = scanRun(from: vStart, .bearer) }
        }
        guard vEnd > vStart else { return nil }
        // A provider token as the value is named by its provider.
        if let specific = token(at: vStart), specific.start == vStart, specific.end >= vEnd {
            return Match(start: vStart, end: specific.end, kind: specific.kind)
        }
        let value = String(decoding: UnsafeBufferPointer(rebasing: b[vStart..<vEnd]), as: UTF8.self)
        guard SecretKeyName.valueLooksSecret(Substring(value), quoted: quoted, envStyle: envStyle) else { return nil }
        return Match(start: vStart, end: vEnd, kind: kind.rawValue)
    }

    // MARK: byte helpers

    enum CharClass { case alnum, word, tokenDash, upperDigit, base64url, bearer }

    private func run(from i: Int, skip: Int, min: Int, _ cls: CharClass, _ kind: String) -> Match? {
        let end = scanRun(from: i + skip, cls)
        guard end - (i + skip) >= min else { return nil }
        return Match(start: i, end: end, kind: kind)
    }

    private func scanRun(from i: Int, _ cls: CharClass) -> Int {
        var j = i
        while j < n {
            let c = b[j]
            let ok: Bool
            switch cls {
            case .alnum: ok = Self.isAlnum(c)
            case .word: ok = Self.isAlnum(c) || c == UInt8(ascii: "_")
            case .tokenDash, .base64url: ok = Self.isTokenChar(c)
            case .upperDigit: ok = (c >= 65 && c <= 90) || (c >= 48 && c <= 57)
            case .bearer:
                ok = Self.isTokenChar(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "~") || c == UInt8(ascii: "+")
                    || c == UInt8(ascii: "/") || c == UInt8(ascii: "=")
            }
            if !ok { break }
            j += 1
        }
        return j
    }

    private func containsDigitOrUpper(_ from: Int, _ to: Int) -> Bool {
        var j = from
        while j < to {
            let c = b[j]
            if (c >= 48 && c <= 57) || (c >= 65 && c <= 90) { return true }
            j += 1
        }
        return false
    }

    private func has(_ lit: StaticString, at i: Int) -> Bool {
        let len = lit.utf8CodeUnitCount
        guard i >= 0, i + len <= n else { return false }
        return lit.withUTF8Buffer { lb in
            for k in 0..<len where b[i + k] != lb[k] { return false }
            return true
        }
    }

    private func hasCI(_ lit: StaticString, at i: Int) -> Bool {
        let len = lit.utf8CodeUnitCount
        guard i >= 0, i + len <= n else { return false }
        return lit.withUTF8Buffer { lb in
            for k in 0..<len where SecretKeyName.lowerASCII(b[i + k]) != lb[k] { return false }
            return true
        }
    }

    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
    @inline(__always) static func isAlnum(_ c: UInt8) -> Bool { isAlpha(c) || (c >= 48 && c <= 57) }
    @inline(__always) static func isTokenChar(_ c: UInt8) -> Bool {
        isAlnum(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }
    @inline(__always) static func isKeyChar(_ c: UInt8) -> Bool { isTokenChar(c) || c == UInt8(ascii: ".") }
    @inline(__always) static func isBareStop(_ c: UInt8) -> Bool {
        c <= 32 || c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: ")")
            || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")
            || c == UInt8(ascii: "&") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") || c == UInt8(ascii: "\\")
    }
}
