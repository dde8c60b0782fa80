import Foundation

/// Memories an agent saves on purpose (`save_memory`) and finds again (`search_memories`):
/// the names CodeMemory-style MCP clients expect. Text passes the privacy filter first.
public struct MemoryService: Sendable {
    public typealias Memory = EngramModel.Memory

    public enum MemoryError: LocalizedError, Equatable {
        case empty
        case tooLong(Int)
        public var errorDescription: String? {
            switch self {
            case .empty: return "A memory needs some text: pass `text`."
            case .tooLong(let n):
                return "A memory is limited to \(MemoryService.maxLength) characters (got \(n)); save the gist, not the whole document."
            }
        }
    }

    public static let maxLength = 20_000

    let engram: Engram
    public init(_ engram: Engram) { self.engram = engram }

    /// Stores a memory; returns it as stored (redacted).
    public func save(
        text: String, tags: [String] = [], project: String?, metadata: JSONValue = .object([:]),
        source: String? = "mcp"
    ) throws -> Memory {
        let clean = engram.privacy.clean(text).spaceTrimmed
        guard !clean.isEmpty else { throw MemoryError.empty }
        guard clean.count <= Self.maxLength else { throw MemoryError.tooLong(clean.count) }
        let cleanTags = tags.map { engram.privacy.clean($0).blankTrimmed }.filter { !$0.isEmpty }
        let meta = JSONValue.object(metadata.objectValue ?? [:])
        return try engram.stores.memories.insert(
            NewMemory(
                project: project, createdAt: engram.now, content: clean, tags: cleanTags,
                metadata: engram.privacy.clean(meta), source: source))
    }

    /// Search over memories of `project` (and global ones): full text, where every term must match, else any term;
    /// with a `queryEmbedder` also by meaning (the memories' vectors, `engram reindex` or `save_memory` made them),
    /// the two lists fused by reciprocal rank. An empty query lists the newest.
    public func search(
        _ text: String, project: String?, tags: [String] = [], limit: Int = 10,
        queryEmbedder: (any QueryEmbedder)? = nil, since: Date? = nil
    ) throws -> [Memory] {
        let limit = max(1, min(limit, 200))
        let pool = queryEmbedder == nil ? limit : max(limit * 3, 30)
        let store = engram.stores.memories
        var keyword: [Memory] = []
        if let query = KeywordQuery.parse(text) {
            for stage in query.stages where keyword.isEmpty {
                keyword = try store.search(query, match: stage, project: project, tags: tags, limit: pool)
            }
        } else {
            keyword = try store.recent(project: project, tags: tags, limit: limit)
        }
        if let since { keyword = keyword.filter { Timestamp.parse($0.createdAt).map { $0 >= since } ?? true } }
        guard let embedder = queryEmbedder, !text.spaceTrimmed.isEmpty else { return Array(keyword.prefix(limit)) }
        let vector: [Float]
        do { vector = try embedder.embedQuery(text) } catch let unavailable as QueryEmbedderUnavailable {
            engram.logger.warning("memories searched by keyword only: \(unavailable.reason)")
            return Array(keyword.prefix(limit))
        }
        // The memories a hit may be: this project's and global ones, with the tags asked for, new enough.
        let allowed = try store.numbers(project: project, tags: tags, since: since.map(Timestamp.format))
        guard !allowed.isEmpty else { return [] }
        // The store's index keys of those memories: the vector index and the fusion work on them.
        let vectors = engram.stores.vectors
        let keys = try vectors.indexKeys(allowed.union(keyword.compactMap(\.number)).map(VectorKey.memory))
        let admitted = Set(allowed.compactMap { keys[.memory($0)] })
        let nearest = try embedder.nearest(vector, k: pool, in: vectors, accept: { admitted.contains($0) })
            .filter { $0.score >= Self.semanticFloor }
        let fused = HybridSearch.fuse(
            [
                ("keyword", engram.config.double("search.keyword_weight"), keyword.compactMap { $0.number.flatMap { keys[.memory($0)] } }),
                ("semantic", engram.config.double("search.semantic_weight"), nearest.map(\.key)),
            ], k: max(0, engram.config.double("search.rrf_k"))
        ).prefix(limit)
        let named = try vectors.records(indexKeys: fused.map(\.key))
        let number = { (key: Int64) -> Int64? in named[key].flatMap { $0.kind == .memory ? Int64($0.ref) : nil } }
        let byID = Dictionary(try fetch(fused.compactMap { number($0.key) }).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return fused.compactMap { f in
            guard let n = number(f.key), var m = byID["M\(n)"] else { return nil }
            m.score = f.score
            m.matched = f.lists
            return m
        }
    }

    /// Vector neighbours below this cosine are unrelated (all-MiniLM-L6-v2 puts unrelated texts near 0).
    static let semanticFloor = 0.2

    /// Memories by number (the 12 of `M12`); unknown ones are left out.
    public func fetch(_ ids: [Int64]) throws -> [Memory] {
        try engram.stores.memories.memories(numbers: ids)
    }
}
