import Foundation

/// Decides whether a field or variable name announces a secret (`DATABASE_PASSWORD`, `apiKey`,
/// `client_secret`, `_authToken`) and whether a value assigned to it looks like a real secret.
///
/// The rule, kept deliberately narrow so ordinary code survives:
/// - a name is secret when one of its words (split at `_`, `-`, `.` and camelCase) contains
///   `password`/`passwd`, is `pwd`/`pass`/`passphrase`, contains `secret` or `credential`,
///   is `authorization`, or when its LAST word is `token` or `auth`, or is `key` right after
///   `api`/`access`/`private`/`secret`/`signing`/`encryption`/`master`/`client`/`auth`/`license`.
///   So `token_count`, `max_tokens`, `primary_key` and `auth_url` are not secret names.
/// - a value is redacted unless it is empty or shorter than 4 characters, a number, a boolean or
///   null word, a placeholder (`$VAR`, `${…}`, `<…>`, `***`, `xxxx`, `%s`, `{{…}}`), already redacted,
///   or — when unquoted in code (not an UPPER_SNAKE env name, not after `export`) — an expression or a plain identifier
///   path without digits (`self._make_token(user)`, `settings.password`, `str`).
enum SecretKeyName {
    enum Kind: String { case password, secret, awsSecretKey = "aws_secret_key" }

    /// Cheap byte-level gate so most names never allocate a String.
    static func mightBeSecret(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { mightBeSecret($0) }
    }

    static func mightBeSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        containsCI(bytes, "pass") || containsCI(bytes, "pwd") || containsCI(bytes, "secret")
            || containsCI(bytes, "token") || containsCI(bytes, "key") || containsCI(bytes, "auth")
            || containsCI(bytes, "cred")
    }

    /// The kind of secret a name announces, or nil when it looks harmless.
    static func classify(_ name: String) -> Kind? {
        let words = split(name)
        guard let last = words.last else { return nil }
        var isSecret = false
        var isPassword = false
        for w in words {
            if containsCI(w, "passw") || w == "pwd" || w == "pass" || w == "passphrase" {
                isPassword = true
            }
            if containsCI(w, "secret") || containsCI(w, "credential") || w == "creds" || w == "authorization"
                || w == "apikey" || w == "accesskey" || w == "privatekey" || w == "secretkey"
                || w == "authtoken" || w == "accesstoken" || w == "apitoken"
            {
                isSecret = true
            }
        }
        if last == "token" || last == "auth" { isSecret = true }
        if last == "key", words.count >= 2 {
            let prev = words[words.count - 2]
            if ["api", "access", "private", "secret", "signing", "encryption", "master", "client", "auth", "license"]
                .contains(prev)
            {
                isSecret = true
            }
        }
        if isPassword { return .password }
        guard isSecret else { return nil }
        return words.contains("aws") ? .awsSecretKey : .secret
    }

    /// Whether `value`, assigned to a secret-looking name, should be redacted (see the type's rule).
    static func valueLooksSecret(_ value: Substring, quoted: Bool, envStyle: Bool) -> Bool {
        let v = value.blankTrimmed
        if v.count < 4 { return false }
        let lower = v.lowercased()
        if ["true", "false", "null", "none", "nil", "undefined", "yes", "no"].contains(lower) { return false }
        if Double(v) != nil { return false }
        if v.hasPrefix("$") || v.hasPrefix("%") || v.hasPrefix("{{") || v.hasPrefix("[REDACTED") { return false }
        if v.hasPrefix("<") && v.hasSuffix(">") { return false }
        if let first = v.first, v.allSatisfy({ $0 == first }) { return false }
        if lower == "changeme" || lower == "password" || lower == "secret" || lower == "redacted" { return false }
        if !quoted && !envStyle {
            if v.contains(where: { "([{".contains($0) }) { return false }
            let identPath = v.allSatisfy { $0.isLetter || $0 == "_" || $0 == "." }
            if identPath { return false }
        }
        return true
    }

    /// Words of a name: split at non-alphanumerics and at lower→upper (camelCase) boundaries, lowercased.
    /// Works on ASCII bytes (names are ASCII in practice; other bytes split words) because it runs per key.
    static func split(_ name: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var prevLower = false
        for c in name.utf8 {
            let isUpper = c >= 65 && c <= 90
            let isLower = c >= 97 && c <= 122
            let isDigit = c >= 48 && c <= 57
            if isUpper || isLower || isDigit {
                if isUpper && prevLower && !current.isEmpty {
                    words.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
                current.append(isUpper ? c + 32 : c)
                prevLower = isLower || isDigit
            } else {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                prevLower = false
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    static func containsCI(_ hay: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        let count = hay.count
        guard count >= n else { return false }
        return needle.withUTF8Buffer { nb -> Bool in
            let first = nb[0]
            var i = 0
            while i + n <= count {
                if lowerASCII(hay[i]) == first {
                    var k = 1
                    while k < n, lowerASCII(hay[i + k]) == nb[k] { k += 1 }
                    if k == n { return true }
                }
                i += 1
            }
            return false
        }
    }

    static func containsCI(_ hay: String, _ needle: StaticString) -> Bool {
        var hay = hay
        return hay.withUTF8 { containsCI($0, needle) }
    }

    @inline(__always) static func lowerASCII(_ c: UInt8) -> UInt8 {
        (c >= 65 && c <= 90) ? c + 32 : c
    }
}
