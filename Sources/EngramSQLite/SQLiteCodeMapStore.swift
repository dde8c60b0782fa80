import EngramModel
import GRDB

/// Code snapshots in `function_map` (definitions) and `call_graph` (calls): the rows of one snapshot share its
/// `snapshot_at`, and a file's latest snapshot is the greatest time of its rows in either table, so a snapshot without
/// calls (or without definitions) still replaces the previous one's.
package struct SQLiteCodeMapStore: CodeMapStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func record(project: String, file: String, preferredAt: String, _ build: (CodeFileSnapshot?) throws -> NewCodeSnapshot) throws -> String {
        try writer.write { db in try Self.record(project: project, file: file, preferredAt: preferredAt, in: db, build) }
    }

    /// `record` inside a transaction the caller holds: the code enrichment step's, which retires the step's pending row
    /// in the same transaction (see `Enricher`), so a snapshot is stored at most once per observation.
    package static func record(
        project: String, file: String, preferredAt: String, in db: Database,
        _ build: (CodeFileSnapshot?) throws -> NewCodeSnapshot
    ) throws -> String {
        let previous = try latest(db, project: project, file: file)
        let snapshot = try build(previous)
        let at = Timestamp.successor(of: previous?.snapshotAt, preferred: preferredAt)
        let symbol = try db.cachedStatement(
            sql: """
                INSERT INTO function_map (project, file_path, snapshot_at, session_id, qualified_name, ordinal, kind, parent_class,
                                          signature, decorators, docstring, line_start, line_end, body_hash, prev_hash, change_type)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for s in snapshot.symbols {
            try symbol.execute(arguments: [
                project, file, at, snapshot.sessionID, s.qualifiedName, s.ordinal, s.kind, s.parentClass,
                s.signature, JSONList.encode(s.decorators), s.docstring, s.lineStart, s.lineEnd, s.bodyHash,
                s.previousHash, s.change,
            ])
        }
        let call = try db.cachedStatement(
            sql: """
                INSERT INTO call_graph (project, session_id, snapshot_at, caller_file, caller_name, callee_name, callee_resolved, resolution, line_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for c in snapshot.calls {
            try call.execute(arguments: [
                project, snapshot.sessionID, at, file, c.callerName, c.calleeName, c.calleeResolved,
                c.resolution, c.lineNumber,
            ])
        }
        if let id = snapshot.observationID {
            try db.execute(
                sql: "UPDATE observations SET functions_changed = ? WHERE id = ?",
                arguments: [snapshot.functionsChanged.serialized(), id])
        }
        try SQLiteEvents.insert(snapshot.events, now: at, in: db)
        return at
    }

    package func latest(project: String, file: String) throws -> CodeFileSnapshot? {
        try writer.read { db in try Self.latest(db, project: project, file: file) }
    }

    static func latest(_ db: Database, project: String, file: String) throws -> CodeFileSnapshot? {
        guard
            let at = try String.fetchOne(
                db,
                sql: """
                    SELECT max(t) FROM (SELECT max(snapshot_at) AS t FROM function_map WHERE project = ? AND file_path = ?
                                        UNION ALL SELECT max(snapshot_at) FROM call_graph WHERE project = ? AND caller_file = ?)
                    """, arguments: [project, file, project, file])
        else { return nil }
        let symbols = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM function_map WHERE project = ? AND file_path = ? AND snapshot_at = ? ORDER BY line_start, ordinal, id
                """, arguments: [project, file, at]
        ).map(symbol)
        let calls = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM call_graph WHERE project = ? AND caller_file = ? AND snapshot_at = ? ORDER BY line_number, id
                """, arguments: [project, file, at]
        ).map(call)
        return CodeFileSnapshot(project: project, file: file, snapshotAt: at, symbols: symbols, calls: calls)
    }

    package func files(project: String) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT file_path FROM function_map WHERE project = ? ORDER BY file_path", arguments: [project])
        }
    }

    package func calls(project: String, file: String?, caller: String?, limit: Int) throws -> [CodeCallEdge] {
        var sql = Self.latestCalls(file: file)
        var args: [String: (any DatabaseValueConvertible)?] = ["project": project]
        if let file { args["file"] = file }
        if let caller {
            sql += " AND (c.caller_name = :caller OR c.caller_name LIKE :suffix ESCAPE '\\')"
            args["caller"] = caller
            args["suffix"] = "%." + Self.escapeLike(caller)
        }
        sql += " ORDER BY c.caller_file, c.line_number, c.id LIMIT :limit"
        args["limit"] = max(0, limit)
        return try writer.read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.edge) }
    }

    package func callers(of callee: String, project: String, limit: Int) throws -> [CodeCallEdge] {
        let sql =
            Self.latestCalls(file: nil) + """
                 AND (c.callee_name = :name OR c.callee_resolved = :name
                      OR c.callee_name LIKE :suffix ESCAPE '\\' OR c.callee_resolved LIKE :suffix ESCAPE '\\')
                ORDER BY c.caller_file, c.line_number, c.id LIMIT :limit
                """
        let args: [String: (any DatabaseValueConvertible)?] = [
            "project": project, "name": callee, "suffix": "%." + Self.escapeLike(callee),
            "limit": max(0, limit),
        ]
        return try writer.read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.edge) }
    }

    package func changes(project: String?, since: String, session: String?) throws -> [CodeMapChange] {
        try writer.read { db in try Self.changes(db, project: project, since: since, session: session) }
    }

    /// `changes` inside a read the caller holds (a report's snapshot).
    static func changes(_ db: Database, project: String?, since: String, session: String?) throws -> [CodeMapChange] {
        var sql = """
            SELECT project, file_path, qualified_name, ordinal, change_type, signature, session_id, line_start, snapshot_at
            FROM function_map WHERE change_type IN ('new', 'modified', 'deleted') AND snapshot_at >= ?
            """
        var args: [(any DatabaseValueConvertible)?] = [since]
        if let project { sql += " AND project = ?"; args.append(project) }
        if let session { sql += " AND session_id = ?"; args.append(session) }
        sql += " ORDER BY snapshot_at, id"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { r in
            CodeMapChange(
                project: r["project"], file: r["file_path"], qualifiedName: r["qualified_name"], ordinal: r["ordinal"],
                change: r["change_type"], signature: r["signature"], sessionID: r["session_id"], lineStart: r["line_start"],
                snapshotAt: r["snapshot_at"])
        }
    }

    /// Calls (`c`) of the latest snapshot of each file of `:project` (only `:file` when one is given), before their
    /// filters: the latest time of a file is taken over both tables.
    private static func latestCalls(file: String?) -> String {
        let mapFile = file == nil ? "" : " AND file_path = :file"
        let callFile = file == nil ? "" : " AND caller_file = :file"
        return """
            WITH latest(file, at) AS (
              SELECT file, max(at) FROM (
                SELECT file_path AS file, max(snapshot_at) AS at FROM function_map WHERE project = :project\(mapFile) GROUP BY file_path
                UNION ALL
                SELECT caller_file, max(snapshot_at) FROM call_graph WHERE project = :project\(callFile) GROUP BY caller_file)
              GROUP BY file)
            SELECT c.* FROM call_graph c JOIN latest l ON l.file = c.caller_file AND l.at = c.snapshot_at
            WHERE c.project = :project
            """
    }

    private static func escapeLike(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    static func symbol(_ r: Row) -> CodeMapSymbol {
        CodeMapSymbol(
            qualifiedName: r["qualified_name"], ordinal: r["ordinal"] ?? 0, kind: r["kind"] ?? "", parentClass: r["parent_class"],
            signature: r["signature"] ?? "", decorators: JSONList.decode(r["decorators"]), docstring: r["docstring"],
            lineStart: r["line_start"] ?? 0, lineEnd: r["line_end"] ?? 0, bodyHash: r["body_hash"] ?? "",
            previousHash: r["prev_hash"], change: r["change_type"])
    }

    private static func call(_ r: Row) -> CodeMapCall {
        CodeMapCall(
            callerName: r["caller_name"], calleeName: r["callee_name"], calleeResolved: r["callee_resolved"],
            resolution: r["resolution"], lineNumber: r["line_number"])
    }

    private static func edge(_ r: Row) -> CodeCallEdge {
        CodeCallEdge(
            callerFile: r["caller_file"], callerName: r["caller_name"], calleeName: r["callee_name"],
            calleeResolved: r["callee_resolved"], resolution: r["resolution"], lineNumber: r["line_number"],
            snapshotAt: r["snapshot_at"])
    }
}
