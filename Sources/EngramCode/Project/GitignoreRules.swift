import Foundation

/// One `.gitignore` file's patterns: globs (`*`, `?`, `**`, `[...]`), `!` negation,
/// trailing `/` for directories only, leading or inner `/` anchoring to the file's folder.
package struct GitignoreRules: Sendable {
    struct Rule: Sendable {
        var segments: [String]
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool
    }

    /// Folder of the `.gitignore`, relative to the walk root ("" for the root).
    package let base: String
    let rules: [Rule]

    package init(text: String, base: String) {
        self.base = base
        var rules: [Rule] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = String(raw)
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line.removeFirst() } else if line.hasPrefix("\\") { line.removeFirst() }
            var dirOnly = false
            if line.hasSuffix("/") { dirOnly = true; line.removeLast() }
            var anchored = line.contains("/")
            if line.hasPrefix("/") { line.removeFirst(); anchored = true }
            if line.isEmpty { continue }
            if line.hasPrefix("**/") { anchored = line.dropFirst(3).contains("/"); if !anchored { line.removeFirst(3) } }
            rules.append(
                Rule(
                    segments: line.split(separator: "/").map(String.init), negated: negated,
                    directoryOnly: dirOnly, anchored: anchored))
        }
        self.rules = rules
    }

    /// Last matching rule wins, deeper `.gitignore` files after shallower ones.
    static func isIgnored(_ path: String, isDirectory: Bool, by stack: [GitignoreRules]) -> Bool {
        var ignored = false
        for file in stack {
            guard let rel = file.relativePath(path) else { continue }
            for rule in file.rules where !rule.directoryOnly || isDirectory {
                if matches(rule, rel) { ignored = !rule.negated }
            }
        }
        return ignored
    }

    func relativePath(_ path: String) -> String? {
        if base.isEmpty { return path }
        guard path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count + 1))
    }

    static func matches(_ rule: Rule, _ rel: String) -> Bool {
        let parts = rel.split(separator: "/").map(String.init)
        if !rule.anchored {
            guard let last = parts.last, rule.segments.count == 1 else { return false }
            return glob(rule.segments[0], last)
        }
        return matchSegments(rule.segments[...], parts[...])
    }

    static func matchSegments(_ pat: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let first = pat.first else { return parts.isEmpty }
        if first == "**" {
            let rest = pat.dropFirst()
            var p = parts
            while true {
                if matchSegments(rest, p) { return true }
                if p.isEmpty { return false }
                p = p.dropFirst()
            }
        }
        guard let part = parts.first, glob(first, part) else { return false }
        return matchSegments(pat.dropFirst(), parts.dropFirst())
    }

    /// Single path-segment glob: `*`, `?`, `[abc]`, `[!a-z]`.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars), t = Array(text.unicodeScalars)
        var pi = 0, ti = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "*" { starP = pi; starT = ti; pi += 1; continue }
            if pi < p.count, let (ok, next) = single(p, pi, t[ti]), ok { pi = next; ti += 1; continue }
            if starP >= 0 { pi = starP + 1; starT += 1; ti = starT; continue }
            return false
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    private static func single(_ p: [Unicode.Scalar], _ pi: Int, _ c: Unicode.Scalar) -> (Bool, Int)? {
        switch p[pi] {
        case "?": return (true, pi + 1)
        case "\\": return pi + 1 < p.count ? (p[pi + 1] == c, pi + 2) : (false, pi + 1)
        case "[":
            var k = pi + 1
            var negate = false
            if k < p.count, p[k] == "!" || p[k] == "^" { negate = true; k += 1 }
            var matched = false
            var first = true
            while k < p.count, p[k] != "]" || first {
                first = false
                if k + 2 < p.count, p[k + 1] == "-", p[k + 2] != "]" {
                    if p[k].value <= c.value && c.value <= p[k + 2].value { matched = true }
                    k += 3
                } else {
                    if p[k] == c { matched = true }
                    k += 1
                }
            }
            guard k < p.count else { return (p[pi] == c, pi + 1) }
            return (matched != negate, k + 1)
        default:
            return (p[pi] == c, pi + 1)
        }
    }
}
