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
                found = pemBlock(at: i) ?? commandLineFlag(at: i)
            case UInt8(ascii: " "), UInt8(ascii: "\t"), 10:
                if i > 0, Self.isKeyChar(b[i - 1]) { found = separated(at: i) }
            case UInt8(ascii: "s"), UInt8(ascii: "A"), UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: "r"),
                UInt8(ascii: "h"), UInt8(ascii: "n"), UInt8(ascii: "e"), UInt8(ascii: "B"), UInt8(ascii: "b"),
                UInt8(ascii: "d"), UInt8(ascii: "w"), UInt8(ascii: "a"):
                if i == 0 || !Self.isTokenChar(b[i - 1]) { found = token(at: i) ?? webhook(at: i) }
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
                if end - (i + 4) == 16, end == n || !Self.isAlnum(b[end]) { return Match(start: i, end: end, kind: "aws_access_key") }
                // Split across two lines (a wrapped terminal, a pasted column): the rest on the next line.
                if end - (i + 4) >= 4, end - (i + 4) < 16, end < n, b[end] == 10 {
                    let end2 = scanRun(from: end + 1, .upperDigit)
                    if (end - (i + 4)) + (end2 - end - 1) == 16, end2 == n || !Self.isAlnum(b[end2]) {
                        return Match(start: i, end: end2, kind: "aws_access_key")
                    }
                }
                return nil
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
        let envStyle =
            (keyName.contains(where: { $0.isLetter }) && !keyName.contains(where: { $0.isLowercase }))
            || (keyStart >= 7 && has("export ", at: keyStart - 7))
        // Value, looking forward; on the next line when nothing follows on this one (`password =⏎value`), as long
        // as that line holds the value alone.
        var k = i + 1
        while k < n, b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "\t") { k += 1 }
        if k < n, b[k] == 10 || b[k] == 13 {
            var m = k + (b[k] == 13 && k + 1 < n && b[k + 1] == 10 ? 2 : 1)
            while m < n, b[m] == UInt8(ascii: " ") || b[m] == UInt8(ascii: "\t") { m += 1 }
            let lineEnd = scanTo(newlineFrom: m)
            guard lineEnd > m, !containsSpace(m, lineEnd), b[lineEnd - 1] != UInt8(ascii: ":") else { return nil }
            k = m
        }
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
            if !closed, e < n, b[e] == 10, !escapedQuote {
                // A quoted secret wrapped onto the next line: it closes there, after one unbroken token.
                var f = e + 1
                let limit2 = min(n, f + 512)
                while f < limit2, b[f] != q, b[f] > 32 { f += 1 }
                if f < limit2, b[f] == q, f > e + 1 { closed = true; e = f }
            }
            guard closed else { return nil }
            vEnd = min(e, n)
            quoted = true
        } else {
            vStart = k
            var e = k
            while e < n, !Self.isBareStop(b[e]) { e += 1 }
            vEnd = continuation(after: e, valueStart: vStart)
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

    // MARK: separated by whitespace, command-line flags, webhooks

    /// `aws_secret_access_key VALUE`, `password hunter2`, `--password VALUE`, "my db password is X": a secret key
    /// name, then whitespace (or one newline), then the value. Prose connectors (`is`, `was`) are skipped, and
    /// words prose puts after a key name (`the password is required`, `token expired`) are not values.
    private func separated(at i: Int) -> Match? {
        var s = i - 1
        let limit = max(0, i - 100)
        while s >= limit, Self.isKeyChar(b[s]) { s -= 1 }
        let keyStart = s + 1
        guard i - keyStart >= 3, i - keyStart < 100 else { return nil }
        let keyBytes = UnsafeBufferPointer(rebasing: b[keyStart..<i])
        guard SecretKeyName.mightBeSecret(keyBytes) else { return nil }
        let keyName = String(decoding: keyBytes, as: UTF8.self)
        let flag = keyName.hasPrefix("-")
        let words = SecretKeyName.split(keyName)
        // `pass` alone is a verb and Python's no-op; as a flag (`--pass x`) it names a password.
        if !flag, words == ["pass"] { return nil }
        guard let kind = SecretKeyName.classify(keyName) else { return nil }
        let envStyle = keyName.contains(where: { $0.isLetter }) && !keyName.contains(where: { $0.isLowercase })
        var k = i
        var newlines = 0
        while k < n, b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "\t") || b[k] == 10 || b[k] == 13 {
            if b[k] == 10 { newlines += 1 }
            k += 1
        }
        guard newlines <= 1, k < n else { return nil }
        var prose = false
        if newlines == 1 {
            // Across a line break only as a key alone on its line, then the value alone on the next.
            var ls = keyStart
            while ls > 0, b[ls - 1] == UInt8(ascii: " ") || b[ls - 1] == UInt8(ascii: "\t") { ls -= 1 }
            let le = scanTo(newlineFrom: k)
            guard ls == 0 || b[ls - 1] == 10, !containsSpace(k, le) else { return nil }
        }
        for connector in ["is ", "was "] where hasWord(connector, at: k) {
            prose = true
            k += connector.utf8.count
            while k < n, b[k] == UInt8(ascii: " ") || b[k] == UInt8(ascii: "\t") { k += 1 }
            break
        }
        guard k < n else { return nil }
        // `=` and `:` right after the key are the assignment rule's.
        if b[k] == UInt8(ascii: "=") || b[k] == UInt8(ascii: ":") { return nil }
        var vStart = k, vEnd = k
        var quoted = false
        if b[k] == UInt8(ascii: "\"") || b[k] == UInt8(ascii: "'") {
            let q = b[k]
            var e = k + 1
            let lim = min(n, e + 512)
            while e < lim, b[e] != q, b[e] != 10 { e += 1 }
            guard e < lim, b[e] == q else { return nil }
            vStart = k + 1; vEnd = e; quoted = true
        } else if prose {
            // In a sentence the value runs to the next space ("is Tr0ub4dor&3, please"), less its punctuation.
            while vEnd < n, b[vEnd] > 32, b[vEnd] != UInt8(ascii: "\""), b[vEnd] != UInt8(ascii: "'") { vEnd += 1 }
            while vEnd > vStart, ".,;:!?)".utf8.contains(b[vEnd - 1]) { vEnd -= 1 }
        } else {
            while vEnd < n, !Self.isBareStop(b[vEnd]) { vEnd += 1 }
            while vEnd > vStart, b[vEnd - 1] == UInt8(ascii: ".") || b[vEnd - 1] == UInt8(ascii: "!") || b[vEnd - 1] == UInt8(ascii: "?") {
                vEnd -= 1
            }
        }
        guard vEnd - vStart >= 4 else { return nil }
        if let specific = token(at: vStart), specific.start == vStart { return Match(start: vStart, end: specific.end, kind: specific.kind) }
        let value = String(decoding: UnsafeBufferPointer(rebasing: b[vStart..<vEnd]), as: UTF8.self)
        if Self.proseWords.contains(value.lowercased()) { return nil }
        if !quoted, value.hasPrefix("-") { return nil }
        if prose {
            // After "is": any word that is not one prose puts there; letters alone only when long enough to be a
            // passphrase rather than an adjective.
            let lettersOnly = value.allSatisfy { $0.isLetter }
            let identPath = value.contains(".") && value.allSatisfy { $0.isLetter || $0 == "_" || $0 == "." }
            guard !identPath, !lettersOnly || value.count >= 8, SecretKeyName.valueLooksSecret(Substring(value), quoted: true, envStyle: true) else {
                return nil
            }
        } else {
            guard SecretKeyName.valueLooksSecret(Substring(value), quoted: quoted, envStyle: envStyle || flag) else { return nil }
            // Without `=` or `is`, a bare word needs something a word in a sentence lacks: a digit or a symbol.
            if !quoted, value.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "." }) { return nil }
        }
        return Match(start: vStart, end: quoted ? vEnd : continuation(after: vEnd, valueStart: vStart), kind: kind.rawValue)
    }

    /// Words that follow a key name in prose and are not its value.
    static let proseWords: Set<String> = [
        "the", "this", "that", "these", "those", "your", "their", "from", "with", "into", "when", "then", "than", "also",
        "not", "set", "unset", "required", "missing", "empty", "wrong", "incorrect", "invalid", "valid", "correct", "stored",
        "still", "being", "been", "changed", "expired", "expires", "needed", "optional", "mandatory", "ignored", "redacted",
        "unknown", "blank", "hidden", "masked", "rotated", "revoked", "leaked", "secure", "insecure", "strong", "weak",
        "field", "fields", "value", "values", "file", "files", "manager", "reset", "prompt", "policy", "length", "hash",
        "hashes", "hashing", "should", "must", "will", "would", "could", "can", "cannot", "does", "doesn't", "isn't",
        "which", "where", "there", "here", "used", "using", "generated", "provided", "configured", "defined", "none",
    ]

    /// Password flags whose value follows without `=`: `mysql -pSECRET`, `redis-cli -a SECRET`,
    /// `sshpass -p SECRET`, `curl -u user:SECRET` (`--user` too). The command must appear earlier on the line.
    private func commandLineFlag(at i: Int) -> Match? {
        guard i > 0, b[i - 1] == UInt8(ascii: " ") || b[i - 1] == UInt8(ascii: "\t"), i + 2 < n else { return nil }
        let line = UnsafeBufferPointer(rebasing: b[max(lineStart(before: i), i - 512)..<i])
        func valueAfter(_ j: Int) -> (Int, Int)? {
            var k = j
            while k < n, b[k] == UInt8(ascii: " ") { k += 1 }
            var quote: UInt8 = 0
            if k < n, b[k] == UInt8(ascii: "'") || b[k] == UInt8(ascii: "\"") { quote = b[k]; k += 1 }
            var e = k
            while e < n, quote != 0 ? b[e] != quote && b[e] != 10 : !Self.isBareStop(b[e]) { e += 1 }
            return e - k >= 1 ? (k, e) : nil
        }
        if b[i + 1] == UInt8(ascii: "p"), b[i + 2] > 32, SecretKeyName.containsCI(line, "mysql") || SecretKeyName.containsCI(line, "mariadb") {
            if b[i + 2] == UInt8(ascii: "'") || b[i + 2] == UInt8(ascii: "\"") {
                let q = b[i + 2]
                var e = i + 3
                while e < n, b[e] != q, b[e] != 10 { e += 1 }
                return e > i + 3 ? Match(start: i + 3, end: e, kind: "password") : nil
            }
            var e = i + 2
            while e < n, !Self.isBareStop(b[e]) { e += 1 }
            return e > i + 2 ? Match(start: i + 2, end: e, kind: "password") : nil
        }
        let separate = i + 2 < n && b[i + 2] == UInt8(ascii: " ")
        if separate, b[i + 1] == UInt8(ascii: "a"), SecretKeyName.containsCI(line, "redis-cli"), let (s, e) = valueAfter(i + 3) {
            return Match(start: s, end: e, kind: "password")
        }
        if separate, b[i + 1] == UInt8(ascii: "p"), SecretKeyName.containsCI(line, "sshpass"), let (s, e) = valueAfter(i + 3) {
            return Match(start: s, end: e, kind: "password")
        }
        let userFlag = separate && b[i + 1] == UInt8(ascii: "u") ? i + 3 : (has("--user ", at: i) ? i + 7 : nil)
        if let from = userFlag,
            SecretKeyName.containsCI(line, "curl") || SecretKeyName.containsCI(line, "wget") || SecretKeyName.containsCI(line, "http"),
            let (s, e) = valueAfter(from)
        {
            var c = s
            while c < e, b[c] != UInt8(ascii: ":") { c += 1 }
            if c + 1 < e { return Match(start: c + 1, end: e, kind: "password") }
        }
        return nil
    }

    /// Webhook URLs carry their credential in the path: Slack, Discord, Microsoft Teams, Telegram bots.
    private func webhook(at i: Int) -> Match? {
        let prefixes: [(StaticString, Int)] = [
            ("hooks.slack.com/services/", 25), ("hooks.slack.com/workflows/", 26), ("hooks.slack.com/triggers/", 25),
            ("discord.com/api/webhooks/", 25), ("discordapp.com/api/webhooks/", 28),
            ("api.telegram.org/bot", 20),
        ]
        for (p, len) in prefixes where has(p, at: i) {
            let end = scanRun(from: i + len, .urlPath)
            guard end - (i + len) >= 8 else { return nil }
            return Match(start: i + len, end: end, kind: "webhook_url")
        }
        // Teams: <tenant>.webhook.office.com/webhookb2/…
        if b[i] == UInt8(ascii: "w"), has("webhook.office.com/webhookb2/", at: i) {
            let end = scanRun(from: i + 29, .urlPath)
            return end - (i + 29) >= 8 ? Match(start: i + 29, end: end, kind: "webhook_url") : nil
        }
        return nil
    }

    /// Where a bare value ending at `e` really ends: a value cut at a line break and continued on the next line
    /// by one unbroken run of token characters (a key wrapped by a terminal or pasted in two pieces) is taken
    /// whole, when both pieces look like parts of one high-entropy string.
    private func continuation(after e: Int, valueStart: Int) -> Int {
        guard e < n, b[e] == 10, e - valueStart >= 8, e + 1 < n else { return e }
        let end = scanRun(from: e + 1, .bearer)
        guard end - (e + 1) >= 8, end == n || b[end] == 10 || b[end] == 13 || b[end] == UInt8(ascii: "\"") || b[end] == UInt8(ascii: "'") else {
            return e
        }
        return Self.looksRandom(b, valueStart, e) && Self.looksRandom(b, e + 1, end) ? end : e
    }

    /// Mixed letter cases or letters with digits, as keys are and words are not.
    static func looksRandom(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var upper = false, lower = false, digit = false
        for k in from..<to {
            let c = b[k]
            if c >= 65 && c <= 90 { upper = true } else if c >= 97 && c <= 122 { lower = true } else if c >= 48 && c <= 57 { digit = true }
        }
        return (upper && lower) || ((upper || lower) && digit)
    }

    /// The start of `i`'s line, looking back at most 512 bytes.
    private func lineStart(before i: Int) -> Int {
        var s = i
        let limit = max(0, i - 512)
        while s > limit, b[s - 1] != 10 { s -= 1 }
        return s
    }

    private func scanTo(newlineFrom i: Int) -> Int {
        var e = i
        while e < n, b[e] != 10, b[e] != 13 { e += 1 }
        return e
    }

    private func containsSpace(_ from: Int, _ to: Int) -> Bool {
        for k in from..<to where b[k] == 32 || b[k] == 9 { return true }
        return false
    }

    /// `word` at `i` (case-insensitive), which ends with its own separator.
    private func hasWord(_ word: String, at i: Int) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= n else { return false }
        for (k, c) in w.enumerated() where SecretKeyName.lowerASCII(b[i + k]) != c { return false }
        return true
    }

    // MARK: byte helpers

    enum CharClass { case alnum, word, tokenDash, upperDigit, base64url, bearer, urlPath }

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
            case .urlPath:
                ok = Self.isTokenChar(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".") || c == UInt8(ascii: "@")
            case .bearer:
                ok =
                    Self.isTokenChar(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "~") || c == UInt8(ascii: "+")
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
