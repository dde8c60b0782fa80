import Foundation
import GRDB

/// Deletes what a person asks engram to forget — one observation, one session, one
/// memory, or everything of a project — from every table and index, in one transaction.
/// FTS rows go through the delete triggers; any vector table is cleaned by its columns.
public struct ForgetService: Sendable {
    public enum Target: Sendable, Equatable {
        case observation(Int64)
        case session(String)
        case memory(Int64)
        case project(String)

        /// Reads `#42`/`42`, `session:ID`, `M7`.
        public static func parse(_ text: String) throws -> Target {
            let t = text.blankTrimmed
            if let n = Int64(t.drop(while: { $0 == "#" })), n > 0 { return .observation(n) }
            if t.hasPrefix("session:"), t.count > "session:".count { return .session(String(t.dropFirst("session:".count))) }
            if t.count > 1, t.first == "M" || t.first == "m", let n = Int64(t.dropFirst()) { return .memory(n) }
            throw EngramError.invalidArgument("Cannot read \"\(text)\": forget takes an observation (#42), a session (session:ID), a memory (M7), or --project DIR --all.")
        }
    }

    /// Rows deleted per table.
    public struct Report: Sendable, Codable, Equatable {
        public var target: String
        public var deleted: [String: Int]
        public var total: Int { deleted.values.reduce(0, +) }
    }

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    public func forget(_ target: Target) throws -> Report {
        try engram.store.writer.write { db in
            var counts: [String: Int] = [:]
            func run(_ table: String, _ sql: String, _ args: StatementArguments) throws {
                try db.execute(sql: sql, arguments: args)
                counts[table, default: 0] += db.changesCount
            }
            let vectorTables = try Self.vectorTables(db)
            switch target {
            case .observation(let id):
                guard try ObservationRecord.exists(db, key: id) else { throw EngramError.notFound("observation #\(id)") }
                for (table, columns) in vectorTables where columns.contains("observation_id") {
                    try run(table, "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE observation_id = ?", [id])
                }
                try run("pending_queue", "DELETE FROM pending_queue WHERE id = (SELECT queue_id FROM observations WHERE id = ?)", [id])
                try run("observations", "DELETE FROM observations WHERE id = ?", [id])
                return Report(target: "#\(id)", deleted: counts.filter { $0.value > 0 })

            case .memory(let id):
                try run("memories", "DELETE FROM memories WHERE id = ?", [id])
                guard counts["memories"] == 1 else { throw EngramError.notFound("memory M\(id)") }
                return Report(target: "M\(id)", deleted: counts)

            case .session(let sid):
                guard try SessionRecord.exists(db, key: ["id": sid]) else { throw EngramError.notFound("session \(sid)") }
                try deleteSessions(db, scope: ("session_id = ?", [sid]), sessions: ("session_id = ?", [sid]),
                                   vectorTables: vectorTables, run: run)
                try run("sessions", "DELETE FROM sessions WHERE id = ?", [sid])
                return Report(target: "session:\(sid)", deleted: counts.filter { $0.value > 0 })

            case .project(let root):
                let inSessions = "session_id IN (SELECT id FROM sessions WHERE project = ?)"
                try deleteSessions(db, scope: (inSessions + " OR project = ?", [root, root]), sessions: (inSessions, [root]),
                                   vectorTables: vectorTables, run: run)
                for (table, columns) in vectorTables where columns.contains("project") {
                    try run(table, "DELETE FROM \(table.quotedDatabaseIdentifier) WHERE project = ?", [root])
                }
                try run("learnings", "DELETE FROM learnings WHERE project = ?", [root])
                try run("memories", "DELETE FROM memories WHERE project = ?", [root])
                try run("sessions", "DELETE FROM sessions WHERE project = ?", [root])
                return Report(target: "project:\(root)", deleted: counts.filter { $0.value > 0 })
            }
        }
    }

    /// Everything keyed by session (or project) that is not the sessions row itself. `scope`
    /// applies to tables with a `project` column, `sessions` (a condition on `session_id`) to the others.
    private func deleteSessions(_ db: Database, scope: (String, StatementArguments), sessions: (String, StatementArguments),
                                vectorTables: [(String, Set<String>)],
                                run: (String, String, StatementArguments) throws -> Void) throws {
        for (table, columns) in vectorTables {
            let quoted = table.quotedDatabaseIdentifier
            if columns.contains("observation_id") {
                try run(table, "DELETE FROM \(quoted) WHERE observation_id IN (SELECT id FROM observations WHERE \(scope.0))", scope.1)
            }
            if columns.contains("session_id") {
                try run(table, "DELETE FROM \(quoted) WHERE \(sessions.0)", sessions.1)
            }
        }
        try run("observations", "DELETE FROM observations WHERE \(scope.0)", scope.1)
        try run("user_prompts", "DELETE FROM user_prompts WHERE \(sessions.0)", sessions.1)
        for table in ["pending_queue", "function_map", "call_graph", "event_log"] {
            try run(table, "DELETE FROM \(table) WHERE \(scope.0)", scope.1)
        }
    }

    /// Tables whose name contains "vector" (not FTS shadow tables), with their columns.
    static func vectorTables(_ db: Database) throws -> [(String, Set<String>)] {
        let names = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%vector%' AND name NOT LIKE 'sqlite_%'
            ORDER BY name
            """)
        return try names.compactMap { name in
            let cols = Set(try db.columns(in: name).map(\.name))
            return cols.isEmpty ? nil : (name, cols)
        }
    }
}
