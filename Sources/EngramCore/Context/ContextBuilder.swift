import Foundation
import GRDB

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

    public init(_ engram: Engram) { self.engram = engram }

    public func build(project: String, budget: Int? = nil, excludingSession: String? = nil) throws -> Briefing {
        let budget = max(50, budget ?? engram.config.contextBudget)
        let now = engram.clock.now()
        let data = try engram.store.writer.read { db in try Self.gather(db, project: project, excluding: excludingSession,
                                                                        maxSessions: max(1, engram.config.int("context.max_sessions"))) }
        let name = (project as NSString).lastPathComponent
        let header = "# engram memory: \(name)\n"
        let footer = data.isEmpty
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
        return Briefing(project: project, budget: budget, tokens: TokenEstimator.estimate(body),
                        layers: layers, text: body, generatedAt: Timestamp.format(now))
    }

    // MARK: - Data

    struct Data: Sendable {
        var sessions: [SessionRow] = []
        var functionChanges: [FunctionRow] = []
        var fileEdits: [FileRow] = []
        var learnings: [LearningRecord] = []
        var observations: [ObservationRecord] = []
        var isEmpty: Bool { sessions.isEmpty && observations.isEmpty && learnings.isEmpty && functionChanges.isEmpty }
    }

    struct SessionRow: Sendable { var id: String; var startedAt: String; var summary: String?; var firstPrompt: String?; var observations: Int }
    struct FunctionRow: Sendable {
        var file: String; var snapshotAt: String; var qualifiedName: String; var parentClass: String?
        var signature: String; var decorators: [String]; var lineStart: Int; var lineEnd: Int; var change: String
    }
    struct FileRow: Sendable { var file: String; var lastAt: String; var count: Int; var lastTitle: String }

    static func gather(_ db: Database, project: String, excluding: String?, maxSessions: Int) throws -> Data {
        var d = Data()
        let sessionRows = try Row.fetchAll(db, sql: """
            SELECT s.id, s.started_at, s.summary_text,
                   (SELECT prompt FROM user_prompts p WHERE p.session_id = s.id ORDER BY p.id LIMIT 1) AS first_prompt,
                   (SELECT count(*) FROM observations o WHERE o.session_id = s.id) AS n
            FROM sessions s WHERE s.project = ? AND s.id IS NOT ?
            ORDER BY s.started_at DESC LIMIT ?
            """, arguments: [project, excluding, maxSessions * 2])
        d.sessions = sessionRows.map { SessionRow(id: $0["id"], startedAt: $0["started_at"], summary: $0["summary_text"], firstPrompt: $0["first_prompt"], observations: $0["n"]) }
            .filter { $0.summary != nil || $0.firstPrompt != nil || $0.observations > 0 }
        d.sessions = Array(d.sessions.prefix(maxSessions))

        // Function-map view: the latest snapshot of each recently changed file, changed definitions first.
        let fnRows = try Row.fetchAll(db, sql: """
            WITH latest AS (
                SELECT file_path, max(snapshot_at) AS snap FROM function_map WHERE project = ?
                GROUP BY file_path ORDER BY snap DESC LIMIT 8
            )
            SELECT f.file_path, f.snapshot_at, f.qualified_name, f.parent_class, f.signature, f.decorators,
                   f.line_start, f.line_end, f.change_type
            FROM function_map f JOIN latest l ON f.file_path = l.file_path AND f.snapshot_at = l.snap
            WHERE f.project = ?
            ORDER BY l.snap DESC, f.file_path, f.line_start
            """, arguments: [project, project])
        d.functionChanges = fnRows.map {
            FunctionRow(file: $0["file_path"], snapshotAt: $0["snapshot_at"], qualifiedName: $0["qualified_name"], parentClass: $0["parent_class"],
                        signature: $0["signature"], decorators: JSONList.decode($0["decorators"]), lineStart: $0["line_start"],
                        lineEnd: $0["line_end"], change: $0["change_type"] ?? "unchanged")
        }

        // Files touched by recent edits, when no function map covers them. SQLite's bare-column rule
        // gives each file's title from the row holding max(id): its latest edit.
        let editRows = try Row.fetchAll(db, sql: """
            SELECT j.value AS file, max(o.id) AS last_id, o.created_at AS last_at, count(*) AS n, o.title AS last_title
            FROM (SELECT id, created_at, title, files_touched FROM observations
                  WHERE project = ? AND tool_name IN ('Edit', 'MultiEdit', 'Write', 'NotebookEdit')
                  ORDER BY created_at DESC LIMIT 400) o, json_each(o.files_touched) j
            GROUP BY j.value ORDER BY last_id DESC LIMIT 10
            """, arguments: [project])
        d.fileEdits = editRows.map { FileRow(file: $0["file"], lastAt: $0["last_at"], count: $0["n"], lastTitle: $0["last_title"] ?? "") }

        d.learnings = try LearningRecord.fetchAll(db, sql: """
            SELECT * FROM learnings WHERE is_active = 1 AND (project = ? OR project IS NULL)
            ORDER BY confidence DESC, times_seen DESC, updated_at DESC LIMIT 20
            """, arguments: [project])

        // Relevant observations: recent work that changed or tested something ranks above reads and searches.
        // Only the latest few hundred are candidates, so this stays cheap at 100k observations.
        d.observations = try ObservationRecord.fetchAll(db, sql: """
            SELECT * FROM (SELECT * FROM observations WHERE project = ? ORDER BY created_at DESC LIMIT 200)
            ORDER BY (CASE WHEN tool_name IN ('Edit','MultiEdit','Write','NotebookEdit','Bash') THEN 0 ELSE 1 END),
                     created_at DESC, id DESC
            LIMIT 40
            """, arguments: [project])
        return d
    }

    // MARK: - Rendering

    func render(layer: String, data: Data, now: Date) -> [String] {
        switch layer {
        case "sessions":
            guard !data.sessions.isEmpty else { return [] }
            return ["## Recent sessions"] + data.sessions.map { s in
                let when = Timestamp.relative(s.startedAt, now: now)
                let what = s.summary ?? s.firstPrompt.map { "Asked: " + Self.oneLine($0, max: 160) } ?? "\(s.observations) observations"
                return "- [\(when)] \(Self.oneLine(what, max: 320))"
            }
        case "code":
            if !data.functionChanges.isEmpty { return renderFunctionMap(data.functionChanges, now: now) }
            guard !data.fileEdits.isEmpty else { return [] }
            return ["## Recently changed files"] + data.fileEdits.map { f in
                let times = f.count > 1 ? ", \(f.count) edits" : ""
                return "- \(f.file) (\(Timestamp.relative(f.lastAt, now: now))\(times)): \(Self.oneLine(f.lastTitle, max: 120))"
            }
        case "learnings":
            guard !data.learnings.isEmpty else { return [] }
            return ["## Project knowledge"] + data.learnings.map { l in
                "- [\(String(format: "%.2f", l.confidence))] \(l.category.capitalized): \(Self.oneLine(l.content, max: 240))"
            }
        case "observations":
            guard !data.observations.isEmpty else { return [] }
            return ["## Relevant observations"] + data.observations.map { o in
                "- #\(o.id ?? 0) [\(Timestamp.relative(o.createdAt, now: now))] \(Self.oneLine(o.title, max: 140))"
            }
        default: return []
        }
    }

    /// The seed's function-map view: file, class, signature, [Lstart-Lend], decorators, change mark.
    /// Files with more changes come first among equally recent ones; unchanged definitions are listed last.
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
            let defs = byFile[file]!
            let n = changes(file)
            lines.append("\(file) (\(n) changed, \(Timestamp.relative(defs[0].snapshotAt, now: now))):")
            var currentClass: String?
            let sorted = defs.filter { $0.change != "unchanged" } + defs.filter { $0.change == "unchanged" }
            for r in sorted {
                if let cls = r.parentClass, cls != currentClass { lines.append("  class \(cls):"); currentClass = cls }
                if r.parentClass == nil { currentClass = nil }
                let indent = r.parentClass == nil ? "  " : "    "
                let deco = r.decorators.isEmpty ? "" : " " + r.decorators.map { "@" + $0 }.joined(separator: " ")
                let mark: String = switch r.change {
                case "new": " NEW"
                case "modified": " MODIFIED"
                case "deleted": " DELETED"
                default: ""
                }
                lines.append("\(indent)\(r.signature)  [L\(r.lineStart)-L\(r.lineEnd)]\(deco)\(mark)")
            }
        }
        return lines
    }

    static func oneLine(_ s: String, max: Int) -> String {
        var t = s.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        while t.contains("  ") { t = t.replacingOccurrences(of: "  ", with: " ") }
        t = t.trimmingCharacters(in: .whitespaces)
        if t.count > max { t = String(t.prefix(max - 1)) + "…" }
        return t
    }
}
