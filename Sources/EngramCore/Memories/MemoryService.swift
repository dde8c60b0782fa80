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
        /// Higher is better (negated bm25, or the fused score of a hybrid search); nil when listed rather than searched.
        public var score: Double?
        /// Which ranked lists found it (`keyword`, `semantic`) in a hybrid search; nil otherwise.
        public var matched: [String]? = nil
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

    /// Search over memories of `project` (and global ones): full text, where every term must match, else any term;
    /// with a `queryEmbedder` also by meaning (the memories' vectors, `engram reindex` or `save_memory` made them),
    /// the two lists fused by reciprocal rank. An empty query lists the newest.
    public func search(_ text: String, project: String?, tags: [String] = [], limit: Int = 10,
                       queryEmbedder: (any QueryEmbedder)? = nil, since: Date? = nil) throws -> [Memory] {
        let limit = max(1, min(limit, 200))
        let pool = queryEmbedder == nil ? limit : max(limit * 3, 30)
        var keyword = try engram.store.writer.read { db -> [Memory] in
            guard let built = FTSQuery.build(text) else { return try recent(db, project: project, tags: tags, limit: limit) }
            var found: [Memory] = []
            for stage in built.stages where found.isEmpty { found = try run(db, match: stage, project: project, tags: tags, limit: pool) }
            return found
        }
        if let since { keyword = keyword.filter { Timestamp.parse($0.createdAt).map { $0 >= since } ?? true } }
        guard let embedder = queryEmbedder, !text.spaceTrimmed.isEmpty else { return Array(keyword.prefix(limit)) }
        let vector: [Float]
        do { vector = try embedder.embedQuery(text) } catch let unavailable as QueryEmbedderUnavailable {
            engram.logger.warning("memories searched by keyword only: \(unavailable.reason)")
            return Array(keyword.prefix(limit))
        }
        // The memories a hit may be: this project's and global ones, with the tags asked for, new enough.
        let allowed = try engram.store.writer.read { db -> Set<Int64> in
            var sql = "SELECT *, NULL AS score FROM memories"
            var args: [(any DatabaseValueConvertible)?] = []
            if let project { sql += " WHERE (project = ? OR project IS NULL)"; args.append(project) }
            if let since { sql += (project == nil ? " WHERE" : " AND") + " created_at >= ?"; args.append(Timestamp.format(since)) }
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.memory)
            return Set(Self.filter(rows, tags: tags).compactMap { Int64($0.id.dropFirst()) })
        }
        guard !allowed.isEmpty else { return [] }
        let nearest = try embedder.nearest(vector, k: pool, in: engram.store, accept: { key in
            key & 3 == 3 && allowed.contains(key >> 2)
        }).filter { $0.score >= Self.semanticFloor }
        let fused = HybridSearch.fuse([
            ("keyword", engram.config.double("search.keyword_weight"), keyword.compactMap { Int64($0.id.dropFirst()).map(EmbeddingStore.memoryKey) }),
            ("semantic", engram.config.double("search.semantic_weight"), nearest.map(\.rowid)),
        ], k: max(0, engram.config.double("search.rrf_k"))).prefix(limit)
        let byID = Dictionary(try fetch(fused.map { $0.key >> 2 }).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return fused.compactMap { f in
            guard var m = byID["M\(f.key >> 2)"] else { return nil }
            m.score = f.score
            m.matched = f.lists
            return m
        }
    }

    /// Vector neighbours below this cosine are unrelated (all-MiniLM-L6-v2 puts unrelated texts near 0).
    static let semanticFloor = 0.2

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
