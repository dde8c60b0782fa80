import Foundation

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

        public init(
            qualifiedName: String, kind: String, parentClass: String?, signature: String, docstring: String?,
            lineStart: Int, lineEnd: Int, changeType: String?
        ) {
            self.qualifiedName = qualifiedName; self.kind = kind; self.parentClass = parentClass; self.signature = signature
            self.docstring = docstring; self.lineStart = lineStart; self.lineEnd = lineEnd; self.changeType = changeType
        }
    }

    public struct FileMap: Sendable, Codable, Equatable {
        public var file: String
        public var snapshotAt: String
        public var symbols: [Symbol]
    }

    /// A call as stored, with its file and snapshot time.
    public typealias CallEdge = CodeCallEdge

    let codeMap: any CodeMapStore
    public init(codeMap: any CodeMapStore) { self.codeMap = codeMap }
    public init(_ engram: Engram) { self.codeMap = engram.stores.codeMap }

    /// Files of the project with a stored function map, sorted.
    public func files(project: String) throws -> [String] {
        try codeMap.files(project: project)
    }

    /// The latest function map of each file (or only of `file`, a project-relative or stored path); a file whose
    /// latest snapshot has no definitions left has none.
    public func functionMap(project: String, file: String? = nil) throws -> [FileMap] {
        try (file.map { [$0] } ?? codeMap.files(project: project)).compactMap { path in
            guard let snapshot = try codeMap.latest(project: project, file: path) else { return nil }
            let symbols = snapshot.definitions.map { s in
                Symbol(
                    qualifiedName: s.qualifiedName, kind: s.kind, parentClass: s.parentClass, signature: s.signature,
                    docstring: s.docstring, lineStart: s.lineStart, lineEnd: s.lineEnd, changeType: s.change)
            }
            return symbols.isEmpty ? nil : FileMap(file: path, snapshotAt: snapshot.snapshotAt, symbols: symbols)
        }
    }

    /// Call edges from the latest snapshot of each caller file, optionally narrowed to one
    /// file and/or one calling function (matched by its last name component too).
    public func callEdges(project: String, file: String? = nil, function: String? = nil, limit: Int = 2_000) throws -> [CallEdge] {
        try codeMap.calls(project: project, file: file, caller: function, limit: Self.clamp(limit))
    }

    /// Who calls `name`: edges whose callee (as written or as resolved) is `name` or ends in
    /// `.name`, from the latest snapshot of each caller file.
    public func callers(of name: String, project: String, limit: Int = 500) throws -> [CallEdge] {
        try codeMap.callers(of: name, project: project, limit: Self.clamp(limit))
    }

    static func clamp(_ limit: Int) -> Int { max(1, min(limit, 20_000)) }
}
