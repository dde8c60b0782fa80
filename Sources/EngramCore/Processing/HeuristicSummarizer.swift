import Foundation

/// What a session summary is built from.
public struct SessionDigest: Sendable, Hashable {
    public var prompts: [String]
    /// The session's observations, oldest first.
    public var observations: [ObservationDigest]
    public var lastAssistantMessage: String?

    public init(prompts: [String], observations: [ObservationDigest], lastAssistantMessage: String?) {
        self.prompts = prompts
        self.observations = observations
        self.lastAssistantMessage = lastAssistantMessage
    }
}

public struct ObservationDigest: Sendable, Hashable {
    public var toolName: String?
    public var title: String
    public var summary: String
    public var filesTouched: [String]

    public init(toolName: String?, title: String, summary: String, filesTouched: [String]) {
        self.toolName = toolName
        self.title = title
        self.summary = summary
        self.filesTouched = filesTouched
    }
}

/// Heuristic session summary: what was asked, what was done, which files, how it ended.
///
/// Reads the titles the heuristic compressor writes ("Edited x: added f", "pytest …: 1 failed …"),
/// so it stays deterministic and needs no model. At most `limit` characters (default 400), e.g.
/// "Asked: Add refresh tokens. Did: edited app/auth.py (added refresh_token); rewrote tests/test_auth.py.
/// Tests: 1 failed → 7 passed. Ended: Refresh tokens work end to end now."
public struct HeuristicSummarizer: Sendable {
    public var limit: Int

    public init(limit: Int = 400) {
        self.limit = limit
    }

    public func summarize(_ digest: SessionDigest) -> String {
        var parts: [String] = []
        let prompts = digest.prompts.filter { !$0.spaceTrimmed.isEmpty }
        if let first = prompts.first {
            var asked = "Asked: " + HeuristicText.firstSentence(first, limit: 110)
            if prompts.count > 1 { asked += " (+\(HeuristicText.plural(prompts.count - 1, "more prompt")))" }
            parts.append(asked)
        }

        let work = FileWork(digest.observations)
        if !work.files.isEmpty {
            parts.append("Did: " + work.describe(limit: 170))
        }
        let tests = testOutcomes(digest.observations)
        if let first = tests.first, let last = tests.last {
            parts.append("Tests: " + (tests.count > 1 && first != last ? "\(first) → \(last)" : last))
        }
        let commits = digest.observations.compactMap { o -> String? in
            guard o.title.hasPrefix("Committed ") else { return nil }
            return o.title.dropFirst(10).split(separator: ":").first.map(String.init)
        }
        if !commits.isEmpty { parts.append("Committed " + HeuristicText.nameList(commits, limit: 40)) }
        if work.files.isEmpty {
            let looked = lookedAt(digest.observations)
            if !looked.isEmpty {
                parts.append("Looked at: " + HeuristicText.nameList(looked, limit: 120))
            } else if !digest.observations.isEmpty, parts.count <= 1 {
                parts.append("Ran " + HeuristicText.plural(digest.observations.count, "tool call"))
            }
        }
        if let last = digest.lastAssistantMessage.flatMap(Self.readableOutcome) {
            parts.append("Ended: " + HeuristicText.firstSentence(last, limit: 120))
        }
        if parts.isEmpty { return "Empty session." }
        let text = parts.map { p in p.hasSuffix(".") || p.hasSuffix("…") || p.hasSuffix("?") || p.hasSuffix("!") ? p : p + "." }
            .joined(separator: " ")
        return HeuristicText.oneLine(text, limit: limit)
    }

    /// The last assistant message as prose: an answer that is a JSON document (a structured reply, a tool's echo)
    /// gives its text field if it has one, else nothing; raw JSON is no outcome.
    static func readableOutcome(_ message: String) -> String? {
        let t = message.spaceTrimmed
        guard !t.isEmpty else { return nil }
        guard t.hasPrefix("{") || t.hasPrefix("["), let v = try? JSONValue.parse(t) else { return t }
        func prose(_ v: JSONValue, depth: Int) -> String? {
            guard depth < 4 else { return nil }
            switch v {
            case .string(let s): return s.spaceTrimmed.isEmpty || s.spaceTrimmed.hasPrefix("{") ? nil : s
            case .object(let o):
                for key in ["result", "text", "message", "summary", "content", "answer"] {
                    if let found = o[key].flatMap({ prose($0, depth: depth + 1) }) { return found }
                }
                return nil
            case .array(let a): return a.lazy.compactMap { prose($0, depth: depth + 1) }.first
            default: return nil
            }
        }
        return prose(v, depth: 0)
    }

    /// Each test or build run's headline outcome: "1 failed", "7 passed", "2 build errors".
    private func testOutcomes(_ observations: [ObservationDigest]) -> [String] {
        var out: [String] = []
        for o in observations where o.toolName == nil || o.toolName == "Bash" {
            guard let colon = o.title.range(of: ": ") else { continue }
            let outcome = o.title[colon.upperBound...]
            let pieces = outcome.components(separatedBy: ", ").map { $0.components(separatedBy: " (").first ?? $0 }
            let isTestRun =
                pieces.contains { p in
                    let w = p.split(separator: " ")
                    return w.count == 2 && Int(w[0]) != nil
                        && ["passed", "failed", "error", "errors"].contains(String(w[1]))
                } || outcome.hasPrefix("no tests ran")
            guard isTestRun else { continue }
            let headline = pieces.first(where: { $0.hasSuffix("failed") || $0.contains("error") }) ?? pieces.first ?? String(outcome)
            if out.last != headline { out.append(headline) }
        }
        return out
    }

    private func lookedAt(_ observations: [ObservationDigest]) -> [String] {
        var seen: [String] = []
        for o in observations where ["Read", "Grep", "Glob"].contains(o.toolName ?? "") {
            for f in o.filesTouched where !seen.contains(f) { seen.append(f) }
        }
        return seen
    }
}

/// Edits grouped by file, in first-touched order, with the definitions each one named.
private struct FileWork {
    struct Entry {
        var verb: String // created, rewrote, edited
        var changes: [String: [String]] = [:] // "added" → names
        var loose: [String] = [] // "changed 3 lines"
    }

    var files: [String] = []
    var entries: [String: Entry] = [:]

    init(_ observations: [ObservationDigest]) {
        for o in observations {
            let verb: String
            if o.title.hasPrefix("Created ") {
                verb = "created"
            } else if o.title.hasPrefix("Rewrote ") {
                verb = "rewrote"
            } else if o.title.hasPrefix("Edited ") || o.title.hasPrefix("Inserted ") || o.title.hasPrefix("Deleted ") {
                verb = "edited"
            } else if ["Edit", "MultiEdit", "Write", "NotebookEdit"].contains(o.toolName ?? "") {
                verb = "edited"
            } else {
                continue
            }
            guard let file = o.filesTouched.first else { continue }
            if entries[file] == nil {
                files.append(file)
                entries[file] = Entry(verb: verb)
            } else if verb == "created" {
                entries[file]?.verb = "created"
            }
            guard verb == "edited" || verb == "rewrote", let colon = o.title.range(of: ": ") else { continue }
            for clause in o.title[colon.upperBound...].components(separatedBy: "; ") {
                let words = clause.split(separator: " ", maxSplits: 1).map(String.init)
                guard words.count == 2, ["added", "changed", "removed"].contains(words[0]) else { continue }
                if words[1].hasSuffix(" line") || words[1].hasSuffix(" lines") {
                    if entries[file]?.changes.isEmpty ?? true, entries[file]?.loose.isEmpty ?? true {
                        entries[file]?.loose.append(clause)
                    }
                    continue
                }
                let names = words[1].components(separatedBy: ", ").filter { !$0.hasPrefix("+") && !$0.hasSuffix("…") }
                for n in names where !(entries[file]?.changes[words[0]]?.contains(n) ?? false) {
                    // Something added then changed in the same session is still just "added".
                    if words[0] == "changed", entries[file]?.changes["added"]?.contains(n) ?? false { continue }
                    entries[file]?.changes[words[0], default: []].append(n)
                }
            }
        }
    }

    func describe(limit: Int) -> String {
        var pieces: [String] = []
        for file in files {
            guard let e = entries[file] else { continue }
            var clauses: [String] = []
            for kind in ["added", "changed", "removed"] {
                if let names = e.changes[kind], !names.isEmpty {
                    clauses.append(kind + " " + HeuristicText.nameList(names, limit: 50))
                }
            }
            if clauses.isEmpty { clauses = e.loose }
            pieces.append("\(e.verb) \(file)" + (clauses.isEmpty ? "" : " (" + clauses.joined(separator: "; ") + ")"))
        }
        var out = ""
        for (i, p) in pieces.enumerated() {
            let add = (out.isEmpty ? "" : "; ") + p
            if out.count + add.count > limit {
                let rest = pieces.count - i
                return out.isEmpty ? HeuristicText.clip(p, limit: limit) : out + "; +\(HeuristicText.plural(rest, "more file"))"
            }
            out += add
        }
        return out
    }
}
