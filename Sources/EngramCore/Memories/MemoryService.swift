import Foundation
import GRDB

/// Memories an agent saves on purpose (`save_memory`) and finds again (`search_memories`):
/// the names CodeMemory-style MCP clients expect. Text passes the privacy filter first.
public struct MemoryService: Sendable {
    public struct Memory: Sendable, Codable, Equatable {
        /// `M12`: what `get_observations` and `engram forget` take.
        public var id: String
        public var project: String?
        public var createdAt: String
        public var content: String
        public var tags: [String]
        public var metadata: JSONValue
        public var source: String?
        /// Higher is better (negated bm25); nil when listed rather than searched.
        public var score: Double?
    }

    public enum MemoryError: LocalizedError, Equatable {
        case empty
        case tooLong(Int)
        public var errorDescription: String? {
            switch self {
            case .empty: return "A memory needs some text: pass `text`."
            case .tooLong(let n): return "A memory is limited to \(MemoryService.maxLength) characters (got \(n)); save the gist, not the whole document."
            }
        }
    }

    public static let maxLength = 20_000

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    /// Stores a memory; returns it as stored (redacted).
    public func save(text: String, tags: [String] = [], project: String?, metadata: JSONValue = .object([:]),
                     source: String? = "mcp") throws -> Memory {
        let clean = engram.privacy.clean(text).spaceTrimmed
        guard !clean.isEmpty else { throw MemoryError.empty }
        guard clean.count <= Self.maxLength else { throw MemoryError.tooLong(clean.count) }
        let cleanTags = tags.map { engram.privacy.clean($0).blankTrimmed }.filter { !$0.isEmpty }
        let meta = JSONValue.object(metadata.objectValue ?? [:])
        let metaText = engram.privacy.clean(meta).serialized()
        let now = engram.now
        let id = try engram.store.writer.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO memories(project, created_at, content, tags, metadata, source) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [project, now, clean, JSONList.encode(cleanTags), metaText, source])
            return db.lastInsertedRowID
        }
        return Memory(id: "M\(id)", project: project, createdAt: now, content: clean, tags: cleanTags,
                      metadata: (try? JSONValue.parse(metaText)) ?? .object([:]), source: source, score: nil)
    }

    /// Full-text search over memories of `project` (and global ones); every term must match,
    /// else any term. An empty query lists the newest.
    public func search(_ text: String, project: String?, tags: [String] = [], limit: Int = 10) throws -> [Memory] {
        let limit = max(1, min(limit, 200))
        return try engram.store.writer.read { db in
            guard let built = FTSQuery.build(text) else { return try recent(db, project: project, tags: tags, limit: limit) }
            var found: [Memory] = []
            for stage in built.stages where found.isEmpty { found = try run(db, match: stage, project: project, tags: tags, limit: limit) }
            return found
        }
    }

    /// Memories by id (`M12` or `12`); unknown ids are left out.
    public func fetch(_ ids: [Int64]) throws -> [Memory] {
        try engram.store.writer.read { db in
            try ids.compactMap { id in
                try Row.fetchOne(db, sql: "SELECT *, NULL AS score FROM memories WHERE id = ?", arguments: [id]).map(Self.memory)
            }
        }
    }

    private func run(_ db: Database, match: String, project: String?, tags: [String], limit: Int) throws -> [Memory] {
        var sql = """
            SELECT m.*, -bm25(memories_fts) AS score FROM memories_fts JOIN memories m ON m.id = memories_fts.rowid
            WHERE memories_fts MATCH ?
            """
        var args: [(any DatabaseValueConvertible)?] = [match]
        if let project { sql += " AND (m.project = ? OR m.project IS NULL)"; args.append(project) }
        sql += " ORDER BY bm25(memories_fts) LIMIT ?"
        args.append(limit * (tags.isEmpty ? 1 : 5))
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.memory)
        return Array(Self.filter(rows, tags: tags).prefix(limit))
    }

    private func recent(_ db: Database, project: String?, tags: [String], limit: Int) throws -> [Memory] {
        var sql = "SELECT *, NULL AS score FROM memories"
        var args: [(any DatabaseValueConvertible)?] = []
        if let project { sql += " WHERE project = ? OR project IS NULL"; args.append(project) }
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit * (tags.isEmpty ? 1 : 5))
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.memory)
        return Array(Self.filter(rows, tags: tags).prefix(limit))
    }

    private static func filter(_ memories: [Memory], tags: [String]) -> [Memory] {
        guard !tags.isEmpty else { return memories }
        let wanted = Set(tags.map { $0.lowercased() })
        return memories.filter { !wanted.isDisjoint(with: $0.tags.map { $0.lowercased() }) }
    }

    private static func memory(_ row: Row) -> Memory {
        let id: Int64 = row["id"]
        return Memory(id: "M\(id)", project: row["project"], createdAt: row["created_at"], content: row["content"],
                      tags: JSONList.decode(row["tags"]), metadata: (try? JSONValue.parse(row["metadata"] as String? ?? "{}")) ?? .object([:]),
                      source: row["source"], score: row["score"])
    }
}
