import Foundation
import GRDB

/// What happened around one observation or one moment: the neighbouring observations,
/// prompts and session boundaries of the same project, oldest first. The middle step of
/// the search → timeline → full record drill-down.
public struct TimelineService: Sendable {
    public enum Anchor: Sendable, Equatable {
        case observation(Int64)
        case time(Date)
    }

    public struct Entry: Sendable, Codable, Equatable {
        /// `#42` (observation), `session:ID` (session start/end), `prompt` entries carry their session id.
        public var id: String
        /// observation | prompt | session_start | session_end
        public var kind: String
        public var createdAt: String
        public var title: String
        public var sessionId: String?
        public var files: [String]
        /// True for the observation the timeline is centred on.
        public var isAnchor: Bool
    }

    public struct Timeline: Sendable, Codable, Equatable {
        public var project: String?
        public var anchorTime: String
        public var entries: [Entry]

        public func render(now: Date) -> String {
            guard !entries.isEmpty else { return "Nothing recorded around \(anchorTime)." }
            return entries.map { e in
                let mark = e.isAnchor ? "→ " : "  "
                let files = e.files.isEmpty ? "" : "  [" + e.files.prefix(3).joined(separator: ", ") + "]"
                return "\(mark)\(e.createdAt) (\(Timestamp.relative(e.createdAt, now: now)))  \(e.id)  \(e.title)\(files)"
            }.joined(separator: "\n")
        }
    }

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    /// Up to `before` entries before the anchor and `after` after it (each capped at 50).
    /// Without `project`, an observation anchor uses its own project; a time anchor spans all projects.
    public func around(_ anchor: Anchor, project: String? = nil, before: Int = 5, after: Int = 5) throws -> Timeline {
        let before = max(0, min(before, 50)), after = max(0, min(after, 50))
        return try engram.store.writer.read { db in
            var project = project
            let time: String
            var anchorID: Int64?
            switch anchor {
            case .observation(let id):
                guard let o = try ObservationRecord.fetchOne(db, key: id) else {
                    throw EngramError.notFound("observation #\(id). Use `search` to find observation ids.")
                }
                time = o.createdAt
                anchorID = id
                if project == nil { project = o.project }
            case .time(let date):
                time = Timestamp.format(date)
            }
            let all = try entries(db, project: project, time: time, anchorID: anchorID, before: before, after: after)
            return Timeline(project: project, anchorTime: time, entries: all)
        }
    }

    private func entries(_ db: Database, project: String?, time: String, anchorID: Int64?, before: Int, after: Int) throws -> [Entry] {
        // One union over the three sources, ordered by time then a tiebreak that keeps an
        // observation's position stable among same-millisecond neighbours.
        let projectFilter = project == nil ? "" : " AND project = :project"
        let union = """
            SELECT '#' || id AS id, 'observation' AS kind, created_at, title, session_id, files_touched AS files, id AS tiebreak
              FROM observations WHERE 1 = 1\(projectFilter)
            UNION ALL
            SELECT 'session:' || p.session_id, 'prompt', p.created_at, substr(p.prompt, 1, 160), p.session_id, '[]', 0
              FROM user_prompts p JOIN sessions s ON s.id = p.session_id WHERE 1 = 1\(project == nil ? "" : " AND s.project = :project")
            UNION ALL
            SELECT 'session:' || id, 'session_start', started_at, 'Session started' || coalesce(' (' || source || ')', ''), id, '[]', -1
              FROM sessions WHERE 1 = 1\(projectFilter)
            UNION ALL
            SELECT 'session:' || id, 'session_end', ended_at, 'Session ended' || coalesce(' (' || end_reason || ')', ''), id, '[]', 9223372036854775807
              FROM sessions WHERE ended_at IS NOT NULL\(projectFilter)
            """
        var args: [String: (any DatabaseValueConvertible)?] = ["time": time, "anchor": anchorID ?? -1]
        if let project { args["project"] = project }
        let tie = anchorID ?? -1
        let earlier = try Row.fetchAll(db, sql: """
            SELECT * FROM (\(union)) WHERE created_at < :time OR (created_at = :time AND tiebreak < :anchor)
            ORDER BY created_at DESC, tiebreak DESC LIMIT \(before)
            """, arguments: StatementArguments(args))
        let later = try Row.fetchAll(db, sql: """
            SELECT * FROM (\(union)) WHERE created_at > :time OR (created_at = :time AND tiebreak \(anchorID == nil ? ">=" : ">") :anchor)
            ORDER BY created_at, tiebreak LIMIT \(after)
            """, arguments: StatementArguments(args))
        var rows = earlier.reversed().map { entry($0, anchor: nil) }
        if let anchorID, let o = try ObservationRecord.fetchOne(db, key: anchorID) {
            rows.append(Entry(id: "#\(anchorID)", kind: "observation", createdAt: o.createdAt, title: o.title, sessionId: o.sessionId,
                              files: o.files, isAnchor: true))
        }
        rows += later.map { entry($0, anchor: tie) }
        return rows
    }

    private func entry(_ row: Row, anchor: Int64?) -> Entry {
        Entry(id: row["id"], kind: row["kind"], createdAt: row["created_at"], title: row["title"], sessionId: row["session_id"],
              files: JSONList.decode(row["files"]), isAnchor: false)
    }
}
