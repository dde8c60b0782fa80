import Foundation

/// Builds the session-start briefing in the seed's layers — recent sessions, recently
/// changed code, project knowledge, relevant observations — each within its share of
/// the token budget, unused tokens flowing to the next layer. Tokens are counted with
/// `TokenEstimator` line by line (an upper bound of the whole), so the total never
/// exceeds the budget.
public struct ContextBuilder: Sendable {
    /// The seed's allocation for a 2000-token budget; scaled to the configured budget.
    /// The seed's fifth layer (call graph, 300) is on demand, so its share pays for the
    /// header and the drill-down footer and flows into the observations layer.
    public static let allocation: [(name: String, share: Int)] = [
        ("sessions", 300), ("code", 500), ("learnings", 300), ("observations", 600),
    ]
    public static let seedTotal = 2000

    let engram: Engram
    /// Claude Code replaces additionalContext over 10,000 characters with a preview; stay under it.
    public var maxCharacters = 9_500

    /// Re-orders the observations layer's candidates (already filtered and recency-ordered) by relevance;
    /// the runtime supplies one based on embeddings. Nil keeps the recency/edit ordering.
    public var observationRanker: (@Sendable (_ project: String, _ candidates: [ObservationRecord]) throws -> [ObservationRecord])?

    public init(_ engram: Engram) { self.engram = engram }

    public func build(project: String, budget: Int? = nil, excludingSession: String? = nil) throws -> Briefing {
        let budget = max(50, budget ?? engram.config.contextBudget)
        let now = engram.clock.now()
        let maxSessions = max(1, engram.config.int("context.max_sessions"))
        var data = Self.choose(
            try engram.stores.briefing.material(
                project: project, excludingSession: excludingSession, sessions: maxSessions * 6,
                learnings: 20, observations: 40), maxSessions: maxSessions)
        if let observationRanker { data.observations = try observationRanker(project, data.observations) }
        let name = (project as NSString).lastPathComponent
        let header = "# engram memory: \(name)\n"
        let footer =
            data.isEmpty
            ? "\nNo memory of this project yet: engram records this session as you work.\n"
            : "\nDrill down: `engram search \"<words>\"` finds past work; `engram show <id>` prints a record in full (ids like #42); `engram context` shows this briefing.\n"
        var used = TokenEstimator.estimate(header) + TokenEstimator.estimate(footer)
        var carry = 0
        var layers: [Briefing.Layer] = []
        let pool = max(0, budget - used)
        for (name, share) in Self.allocation {
            let allocation = pool * share / Self.allocation.reduce(0) { $0 + $1.share }
            let available = allocation + carry
            let lines = render(layer: name, data: data, now: now)
            var text = ""
            var tokens = 0
            var items = 0
            for (i, line) in lines.enumerated() {
                let piece = line + "\n"
                let t = TokenEstimator.estimate(piece)
                if tokens + t > available { if i == 0 { break } else { continue } }
                // A heading alone says nothing: only keep it if an item follows.
                text += piece
                tokens += t
                if i > 0 { items += 1 }
            }
            if items == 0 { text = ""; tokens = 0 }
            carry = available - tokens
            used += tokens
            layers.append(.init(name: name, available: available, allocation: allocation, tokens: tokens, items: items, text: text))
        }
        var body = header + layers.map(\.text).filter { !$0.isEmpty }.joined(separator: "\n") + footer
        if body.count > maxCharacters { body = String(body.prefix(maxCharacters)) }
        return Briefing(
            project: project, budget: budget, tokens: TokenEstimator.estimate(body),
            layers: layers, text: body, generatedAt: Timestamp.format(now))
    }

    // MARK: - Data

    struct Data: Sendable {
        var sessions: [SessionRow] = []
        /// Recent sessions that did no work (no tool call kept: they only asked engram or chatted), shown as one line.
        var questionSessions: [SessionRow] = []
        var functionChanges: [FunctionRow] = []
        var fileEdits: [FileRow] = []
        var learnings: [LearningRecord] = []
        var observations: [ObservationRecord] = []
        var isEmpty: Bool { sessions.isEmpty && observations.isEmpty && learnings.isEmpty && functionChanges.isEmpty }
    }

    struct SessionRow: Sendable {
        var id: String; var startedAt: String; var summary: String?; var firstPrompt: String?; var observations: Int
        var edits = 0, tests = 0, commits = 0, errors = 0
        /// What the session did, for choosing which sessions the briefing names: changes and commits above test runs
        /// and failures, any work above none.
        var weight: Int { edits * 3 + commits * 4 + tests * 2 + errors * 2 + (observations > 0 ? 1 : 0) }
    }
    struct FunctionRow: Sendable {
        var file: String; var snapshotAt: String; var qualifiedName: String; var kind: String; var parentClass: String?
        var signature: String; var decorators: [String]; var lineStart: Int; var lineEnd: Int; var change: String
    }

    /// Folds a session's snapshots of each file into one row per definition of the latest
    /// snapshot (plus definitions deleted along the way), each with its net change.
    static func netChanges(_ rows: [BriefingMaterial.Definition]) -> [FunctionRow] {
        let rank = ["unchanged": 0, "modified": 1, "deleted": 2, "new": 3]
        var out: [FunctionRow] = []
        var byFile: [String: [BriefingMaterial.Definition]] = [:]
        var order: [String] = []
        for r in rows {
            if byFile[r.file] == nil { order.append(r.file) }
            byFile[r.file, default: []].append(r)
        }
        func key(_ r: BriefingMaterial.Definition) -> String { "\(r.symbol.qualifiedName)#\(r.symbol.ordinal)" }
        func change(_ r: BriefingMaterial.Definition) -> String { r.symbol.change ?? "unchanged" }
        for file in order {
            let rs = byFile[file]!
            let latestSnap = rs[0].latestSnapshotAt
            var strongest: [String: String] = [:]
            for r in rs {
                let c = change(r)
                if (rank[c] ?? 0) > (rank[strongest[key(r)] ?? "unchanged"] ?? 0) || strongest[key(r)] == nil { strongest[key(r)] = c }
            }
            var present: Set<String> = []
            func row(_ r: BriefingMaterial.Definition, change: String) -> FunctionRow {
                FunctionRow(
                    file: file, snapshotAt: latestSnap, qualifiedName: r.symbol.qualifiedName, kind: r.symbol.kind,
                    parentClass: r.symbol.parentClass, signature: r.symbol.signature, decorators: r.symbol.decorators,
                    lineStart: r.symbol.lineStart, lineEnd: r.symbol.lineEnd, change: change)
            }
            for r in rs where r.snapshotAt == latestSnap && change(r) != "deleted" {
                present.insert(key(r))
                let c = strongest[key(r)] ?? "unchanged"
                out.append(row(r, change: c == "deleted" ? "modified" : c))
            }
            var deletedSeen: Set<String> = []
            for r in rs where change(r) == "deleted" {
                if !present.contains(key(r)), deletedSeen.insert(key(r)).inserted { out.append(row(r, change: "deleted")) }
            }
        }
        return out
    }
    struct FileRow: Sendable { var file: String; var lastAt: String; var count: Int; var lastTitle: String }

    /// Chooses what the briefing shows from what the store read: the latest sessions that did the most (a run of
    /// sessions that only asked about past work must not push out the one that changed the code), the net change of
    /// each recently snapshotted definition.
    static func choose(_ m: BriefingMaterial, maxSessions: Int) -> Data {
        var d = Data()
        let all = m.sessions.map { s in
            SessionRow(
                id: s.id, startedAt: s.startedAt, summary: s.summary, firstPrompt: s.firstPrompt, observations: s.observations,
                edits: s.edits, tests: s.tests, commits: s.commits, errors: s.errors)
        }.filter { $0.summary != nil || $0.firstPrompt != nil || $0.observations > 0 }
        let working = all.filter { $0.observations > 0 }
        // The heaviest few, shown newest first; ties go to the newer.
        let chosen = Set(
            working.enumerated().sorted { ($0.element.weight, -$0.offset) > ($1.element.weight, -$1.offset) }
                .prefix(maxSessions).map(\.element.id))
        d.sessions = working.filter { chosen.contains($0.id) }
        d.questionSessions = all.filter { $0.observations == 0 }
        if d.sessions.isEmpty { d.sessions = Array(d.questionSessions.prefix(maxSessions)); d.questionSessions = [] }
        // Function-map view: each recently snapshotted file's latest definitions, marked with the net change
        // over the snapshots of the session that last touched it (new beats modified beats unchanged).
        d.functionChanges = Self.netChanges(m.definitions)
        // Files touched by recent edits, shown when no function map covers them.
        d.fileEdits = m.fileEdits.map { FileRow(file: $0.file, lastAt: $0.lastAt, count: $0.count, lastTitle: $0.lastTitle) }
        d.learnings = m.learnings
        // Recent work that changed or tested something ranks above reads and searches.
        d.observations = m.observations
        return d
    }

    // MARK: - Rendering

    func render(layer: String, data: Data, now: Date) -> [String] {
        switch layer {
        case "sessions":
            guard !data.sessions.isEmpty else { return [] }
            var lines =
                ["## Recent sessions"]
                + data.sessions.map { s in
                    let when = Timestamp.relative(s.startedAt, now: now)
                    let what = s.summary ?? s.firstPrompt.map { "Asked: " + Self.oneLine($0, max: 160) } ?? "\(s.observations) observations"
                    return "- [\(when)] \(Self.oneLine(what, max: 320))"
                }
            if let latest = data.questionSessions.first {
                let n = data.questionSessions.count
                let asked = latest.firstPrompt.map { ", latest asked: " + Self.oneLine($0, max: 100) } ?? ""
                lines.append(
                    "- [\(Timestamp.relative(latest.startedAt, now: now))] \(n) session\(n == 1 ? "" : "s") with no tool work (questions only)\(asked)"
                )
            }
            return lines
        case "code":
            if !data.functionChanges.isEmpty { return renderFunctionMap(data.functionChanges, now: now) }
            guard !data.fileEdits.isEmpty else { return [] }
            return ["## Recently changed files"]
                + data.fileEdits.map { f in
                    let times = f.count > 1 ? ", \(f.count) edits" : ""
                    return "- \(f.file) (\(Timestamp.relative(f.lastAt, now: now))\(times)): \(Self.oneLine(f.lastTitle, max: 120))"
                }
        case "learnings":
            guard !data.learnings.isEmpty else { return [] }
            return ["## Project knowledge"]
                + data.learnings.map { l in
                    "- [\(String(format: "%.2f", l.confidence))] \(l.category.capitalized): \(Self.oneLine(l.content, max: 240))"
                }
        case "observations":
            guard !data.observations.isEmpty else { return [] }
            return ["## Relevant observations"]
                + data.observations.map { o in
                    "- #\(o.id ?? 0) [\(Timestamp.relative(o.createdAt, now: now))] \(Self.oneLine(o.title, max: 140))"
                }
        default: return []
        }
    }

    /// The seed's function-map view: per file, changed definitions in source order under their class,
    /// with signature, [Lstart-Lend], decorators and NEW / MODIFIED / DELETED; unchanged ones named on one line.
    /// Files last touched most recently come first, then those with the most changes.
    func renderFunctionMap(_ rows: [FunctionRow], now: Date) -> [String] {
        var byFile: [String: [FunctionRow]] = [:]
        var order: [String] = []
        for r in rows {
            if byFile[r.file] == nil { order.append(r.file) }
            byFile[r.file, default: []].append(r)
        }
        func changes(_ f: String) -> Int { byFile[f]!.filter { $0.change != "unchanged" }.count }
        order.sort { a, b in
            let sa = byFile[a]![0].snapshotAt, sb = byFile[b]![0].snapshotAt
            return sa != sb ? sa > sb : changes(a) > changes(b)
        }
        var lines = ["## Recently changed code"]
        for file in order {
            let defs = byFile[file]!.sorted { ($0.lineStart, $0.qualifiedName) < ($1.lineStart, $1.qualifiedName) }
            let counts = ["new", "modified", "deleted"].compactMap { c -> String? in
                let n = defs.filter { $0.change == c }.count
                return n > 0 ? "\(n) \(c)" : nil
            }
            let summary = counts.isEmpty ? "no changes" : counts.joined(separator: ", ")
            lines.append("\(file) (\(summary), \(Timestamp.relative(defs[0].snapshotAt, now: now))):")
            // Classes holding a change are shown as headers even when unchanged themselves.
            let changedClasses = Set(defs.filter { $0.change != "unchanged" }.compactMap(\.parentClass))
            var openClass: String?
            for r in defs {
                let mark: String =
                    switch r.change {
                    case "new": " NEW"
                    case "modified": " MODIFIED"
                    case "deleted": " DELETED"
                    default: ""
                    }
                let deco = r.decorators.isEmpty ? "" : " " + r.decorators.map { "@" + $0 }.joined(separator: " ")
                if Self.typeKinds.contains(r.kind) {
                    guard r.change != "unchanged" || changedClasses.contains(r.qualifiedName) else { continue }
                    lines.append("  \(r.kind) \(r.signature):  [L\(r.lineStart)-L\(r.lineEnd)]\(deco)\(mark)")
                    openClass = r.qualifiedName
                    continue
                }
                guard r.change != "unchanged" else { continue }
                if let cls = r.parentClass, cls != openClass {
                    lines.append("  class \(cls):")
                    openClass = cls
                }
                let indent = r.parentClass == nil ? "  " : "    "
                lines.append("\(indent)\(r.signature)  [L\(r.lineStart)-L\(r.lineEnd)]\(deco)\(mark)")
            }
            let unchanged = defs.filter { $0.change == "unchanged" && !Self.typeKinds.contains($0.kind) }.map { $0.qualifiedName }
            if !unchanged.isEmpty {
                let shown = unchanged.prefix(8).joined(separator: ", ")
                lines.append("  unchanged: \(shown)" + (unchanged.count > 8 ? " +\(unchanged.count - 8)" : ""))
            }
        }
        return lines
    }

    /// Kinds shown as a header line (`class X:`) rather than a signature line.
    static let typeKinds: Set<String> = ["class", "struct", "enum", "actor", "protocol", "extension"]

    static func oneLine(_ s: String, max: Int) -> String {
        var t = s.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        while t.contains("  ") { t = t.replacingOccurrences(of: "  ", with: " ") }
        t = t.blankTrimmed
        if t.count > max { t = String(t.prefix(max - 1)) + "…" }
        return t
    }
}
