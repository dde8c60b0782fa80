import EngramCore
import Foundation

/// engram's Claude Code hook registrations and how to merge them into (and take them out
/// of) a settings.json document without touching anything else. engram's entries are
/// recognised by their command: an executable named `engram` followed by `hook`, or the slim
/// `engram-hook` binary (the hooks alone, fast to start) followed by the event.
package enum ClaudeCodeHooks {
    /// (Claude Code event, matcher, engram hook event, timeout seconds, async).
    package static let registrations: [(event: String, matcher: String?, hook: String, timeout: Int, async: Bool)] = [
        ("SessionStart", "startup|resume|clear|compact", "session-start", 15, false),
        ("UserPromptSubmit", nil, "user-prompt-submit", 10, false),
        ("PostToolUse", "*", "post-tool-use", 10, true),
        ("PostToolUseFailure", "*", "post-tool-use-failure", 10, true),
        ("Stop", nil, "stop", 60, false),
        ("SessionEnd", nil, "session-end", 5, false),
    ]

    /// The command line for one hook, with the binary quoted for the shell when needed.
    package static func command(binary: String, hook: String) -> String {
        "\(shellQuoted(binary)) hook \(hook)"
    }

    /// The command line for one hook run by the slim `engram-hook` binary.
    package static func command(hookBinary: String, hook: String) -> String {
        "\(shellQuoted(hookBinary)) \(hook)"
    }

    /// The hooks the slim binary runs itself; `stop` needs code intelligence, which only the full binary carries.
    static func runsInHookBinary(_ hook: String) -> Bool { hook != "stop" }

    package static func shellQuoted(_ s: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@%${}")
        if !s.isEmpty, s.unicodeScalars.allSatisfy(safe.contains) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The `hooks` object engram registers, keyed by event. With `hookBinary` (an `engram-hook`), the
    /// frequent hooks run it instead of the full CLI.
    package static func hooksObject(binary: String, hookBinary: String? = nil) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for r in registrations {
            let line =
                hookBinary.flatMap { runsInHookBinary(r.hook) ? command(hookBinary: $0, hook: r.hook) : nil }
                ?? command(binary: binary, hook: r.hook)
            var hook: [String: JSONValue] = [
                "type": "command", "command": .string(line),
                "timeout": .number(Double(r.timeout)),
            ]
            if r.async { hook["async"] = .bool(true) }
            var group: [String: JSONValue] = ["hooks": .array([.object(hook)])]
            if let m = r.matcher { group["matcher"] = .string(m) }
            out[r.event] = .array([.object(group)])
        }
        return out
    }

    /// Whether a hook command is one of engram's (any binary path named `engram` or `engram-hook`).
    package static func isEngramCommand(_ command: String) -> Bool {
        hookEvent(of: command) != nil || legacyHookWithoutEvent(command)
    }

    /// The engram hook event a command runs, if it is one of engram's.
    package static func hookEvent(of command: String) -> String? {
        let tokens = shellWords(command)
        guard let first = tokens.first else { return nil }
        switch (first as NSString).lastPathComponent {
        case "engram" where tokens.count >= 3 && tokens[1] == "hook": return tokens[2]
        case "engram-hook" where tokens.count >= 2: return tokens[1]
        default: return nil
        }
    }

    /// `engram hook` with the event missing: still engram's entry, so uninstall takes it out.
    static func legacyHookWithoutEvent(_ command: String) -> Bool {
        let tokens = shellWords(command)
        return tokens.count == 2 && tokens[1] == "hook" && (tokens[0] as NSString).lastPathComponent == "engram"
    }

    /// Splits a command line on blanks, honouring single and double quotes.
    static func shellWords(_ s: String) -> [String] {
        var words: [String] = [], cur = "", quote: Character?, inWord = false
        var it = s.makeIterator()
        while let c = it.next() {
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"", let n = it.next() { cur.append(n) } else { cur.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; inWord = true
            } else if c == "\\", let n = it.next() {
                cur.append(n); inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(cur); cur = ""; inWord = false }
            } else {
                cur.append(c); inWord = true
            }
        }
        if inWord { words.append(cur) }
        return words
    }

    /// `settings` with engram's hooks in place (replacing any older engram entries).
    /// Installing twice gives the same document as installing once.
    package static func install(into settings: JSONValue, binary: String, hookBinary: String? = nil, path: String) throws -> JSONValue {
        guard var root = settings.objectValue else { throw InstallError.notJSON(path) }
        var hooks: [String: JSONValue]
        switch root["hooks"] {
        case nil, .null?: hooks = [:]
        case .object(let o)?: hooks = o
        default: throw InstallError.badShape(path, "\"hooks\" is not an object")
        }
        for (event, wanted) in hooksObject(binary: binary, hookBinary: hookBinary) {
            guard let wantedGroups = wanted.arrayValue else { continue }
            let existing: [JSONValue]
            switch hooks[event] {
            case nil, .null?: existing = []
            case .array(let a)?: existing = a
            default: throw InstallError.badShape(path, "\"hooks.\(event)\" is not an array")
            }
            // Already exactly as wanted, with no other engram entry: leave the order alone.
            let engramGroups = existing.filter(containsEngram)
            if engramGroups == wantedGroups { continue }
            hooks[event] = .array(removingEngram(from: existing) + wantedGroups)
        }
        root["hooks"] = .object(hooks)
        return .object(root)
    }

    /// `settings` without engram's hook entries; groups and events left empty by that are removed.
    package static func uninstall(from settings: JSONValue) -> JSONValue {
        guard var root = settings.objectValue, let hooks = root["hooks"]?.objectValue else { return settings }
        var out: [String: JSONValue] = [:]
        for (event, value) in hooks {
            guard let groups = value.arrayValue else { out[event] = value; continue }
            guard groups.contains(where: containsEngram) else { out[event] = value; continue }
            let kept = removingEngram(from: groups)
            if !kept.isEmpty { out[event] = .array(kept) }
        }
        if out.isEmpty && !hooks.isEmpty { root.removeValue(forKey: "hooks") } else { root["hooks"] = .object(out) }
        return .object(root)
    }

    /// The engram hook events registered in a settings document (for doctor).
    package static func installedEvents(in settings: JSONValue) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for (event, value) in settings["hooks"]?.objectValue ?? [:] {
            for group in value.arrayValue ?? [] {
                for hook in group["hooks"]?.arrayValue ?? [] {
                    if let c = hook["command"]?.stringValue, isEngramCommand(c) { found[event, default: []].append(c) }
                }
            }
        }
        return found
    }

    static func containsEngram(_ group: JSONValue) -> Bool {
        (group["hooks"]?.arrayValue ?? []).contains { ($0["command"]?.stringValue).map(isEngramCommand) ?? false }
    }

    /// Drops engram's hook entries from each group; a group left with no hooks is dropped.
    static func removingEngram(from groups: [JSONValue]) -> [JSONValue] {
        groups.compactMap { group in
            guard containsEngram(group), var g = group.objectValue, let list = g["hooks"]?.arrayValue else { return group }
            let kept = list.filter { !(($0["command"]?.stringValue).map(isEngramCommand) ?? false) }
            if kept.isEmpty { return nil }
            g["hooks"] = .array(kept)
            return .object(g)
        }
    }
}
