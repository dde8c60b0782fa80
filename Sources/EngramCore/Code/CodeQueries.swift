import Foundation
import GRDB
import EngramSQLite

/// Read-only queries over stored code intelligence (`function_map`, `call_graph`): the
/// latest snapshot of each file, its call edges, and who calls a name. Shared by the MCP
/// tools and `engram code`.
public struct CodeQueries: Sendable {
    public struct Symbol: Sendable, Codable, Equatable {
        public var qualifiedName: String
        public var kind: String
        public var parentClass: String?
        public var signature: String
        public var docstring: String?
        public var lineStart: Int
        public var lineEnd: Int
        /// new | modified | unchanged (deleted symbols are left out).
        public var changeType: String?

        public init(qualifiedName: String, kind: String, parentClass: String?, signature: String, docstring: String?,
                    lineStart: Int, lineEnd: Int, changeType: String?) {
            self.qualifiedName = qualifiedName; self.kind = kind; self.parentClass = parentClass; self.signature = signature
            self.docstring = docstring; self.lineStart = lineStart; self.lineEnd = lineEnd; self.changeType = changeType
        }
    }

    public struct FileMap: Sendable, Codable, Equatable {
        public var file: String
        public var snapshotAt: String
        public var symbols: [Symbol]
    }

    public struct CallEdge: Sendable, Codable, Equatable {
        public var callerFile: String
        public var callerName: String
        public var calleeName: String
        public var calleeResolved: String?
        /// direct | self_method | import | value (found by following values) | unresolved
        public var resolution: String
        public var lineNumber: Int?
        public var snapshotAt: String

        public init(callerFile: String, callerName: String, calleeName: String, calleeResolved: String?, resolution: String,
                    lineNumber: Int?, snapshotAt: String) {
            self.callerFile = callerFile; self.callerName = callerName; self.calleeName = calleeName
            self.calleeResolved = calleeResolved; self.resolution = resolution; self.lineNumber = lineNumber; self.snapshotAt = snapshotAt
        }
    }

    let store: EngramStore
    public init(store: EngramStore) { self.store = store }
    public init(_ engram: Engram) { self.store = engram.store }

    /// Files of the project with a stored function map, sorted.
    public func files(project: String) throws -> [String] {
        try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT file_path FROM function_map WHERE project = ? ORDER BY file_path", arguments: [project])
        }
    }

    /// The latest function map of each file (or only of `file`, a project-relative or stored path).
    public func functionMap(project: String, file: String? = nil) throws -> [FileMap] {
        try store.writer.read { db in
            var sql = """
                SELECT f.* FROM function_map f
                JOIN (SELECT file_path, max(snapshot_at) AS latest FROM function_map WHERE project = :project GROUP BY file_path) l
                  ON l.file_path = f.file_path AND l.latest = f.snapshot_at
                WHERE f.project = :project AND coalesce(f.change_type, '') != 'deleted'
                """
            var args: [String: (any DatabaseValueConvertible)?] = ["project": project]
            if let file { sql += " AND f.file_path = :file"; args["file"] = file }
            sql += " ORDER BY f.file_path, f.line_start, f.ordinal"
            var maps: [FileMap] = []
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)) {
                let path: String = row["file_path"]
                let symbol = Symbol(qualifiedName: row["qualified_name"], kind: row["kind"], parentClass: row["parent_class"],
                                    signature: row["signature"], docstring: row["docstring"], lineStart: row["line_start"],
                                    lineEnd: row["line_end"], changeType: row["change_type"])
                if maps.last?.file == path { maps[maps.count - 1].symbols.append(symbol) }
                else { maps.append(FileMap(file: path, snapshotAt: row["snapshot_at"], symbols: [symbol])) }
            }
            return maps
        }
    }

    /// Call edges from the latest snapshot of each caller file, optionally narrowed to one
    /// file and/or one calling function (matched by its last name component too).
    public func callEdges(project: String, file: String? = nil, function: String? = nil, limit: Int = 2_000) throws -> [CallEdge] {
        try store.writer.read { db in
            var sql = """
                SELECT c.* FROM call_graph c
                JOIN (SELECT caller_file, max(snapshot_at) AS latest FROM call_graph WHERE project = :project GROUP BY caller_file) l
                  ON l.caller_file = c.caller_file AND l.latest = c.snapshot_at
                WHERE c.project = :project
                """
            var args: [String: (any DatabaseValueConvertible)?] = ["project": project]
            if let file { sql += " AND c.caller_file = :file"; args["file"] = file }
            if let function {
                sql += " AND (c.caller_name = :fn OR c.caller_name LIKE :suffix ESCAPE '\\')"
                args["fn"] = function; args["suffix"] = "%." + Self.escapeLike(function)
            }
            sql += " ORDER BY c.caller_file, c.line_number, c.id LIMIT \(max(1, min(limit, 20_000)))"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.edge)
        }
    }

    /// Who calls `name`: edges whose callee (as written or as resolved) is `name` or ends in
    /// `.name`, from the latest snapshot of each caller file.
    public func callers(of name: String, project: String, limit: Int = 500) throws -> [CallEdge] {
        try store.writer.read { db in
            let sql = """
                SELECT c.* FROM call_graph c
                JOIN (SELECT caller_file, max(snapshot_at) AS latest FROM call_graph WHERE project = :project GROUP BY caller_file) l
                  ON l.caller_file = c.caller_file AND l.latest = c.snapshot_at
                WHERE c.project = :project
                  AND (c.callee_name = :name OR c.callee_resolved = :name
                       OR c.callee_name LIKE :suffix ESCAPE '\\' OR c.callee_resolved LIKE :suffix ESCAPE '\\')
                ORDER BY c.caller_file, c.line_number, c.id LIMIT \(max(1, min(limit, 20_000)))
                """
            let args: [String: (any DatabaseValueConvertible)?] = ["project": project, "name": name, "suffix": "%." + Self.escapeLike(name)]
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.edge)
        }
    }

    static func escapeLike(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    private static func edge(_ row: Row) -> CallEdge {
        CallEdge(callerFile: row["caller_file"], callerName: row["caller_name"], calleeName: row["callee_name"],
                 calleeResolved: row["callee_resolved"], resolution: row["resolution"], lineNumber: row["line_number"],
                 snapshotAt: row["snapshot_at"])
    }
}
