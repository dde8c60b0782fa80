import EngramCore
import EngramEmbeddings
import Foundation
import GRDB

/// The query side of semantic search: the local encoder plus an in-memory `VectorIndex` loaded lazily
/// from the embeddings table and reloaded when the table's vectors for this model change.
public struct EmbeddingQueryEmbedder: QueryEmbedder {
    let encoder: BertEncoder
    let storage: VectorIndex.Storage
    private let cache = IndexCache()

    public init(encoder: BertEncoder, int8: Bool = false) {
        self.encoder = encoder
        self.storage = int8 ? .int8 : .float32
    }

    public var modelID: String { encoder.modelID }

    public func embedQuery(_ text: String) throws -> [Float] {
        encoder.embedSync([text], kind: .query).first ?? []
    }

    public func nearest(_ query: [Float], k: Int, in store: EngramStore,
                        accept: @escaping @Sendable (Int64) -> Bool) throws -> [(rowid: Int64, score: Double)] {
        let index = try loadIndex(store)
        guard index.dimensions == query.count else { return [] }
        return try index.search(query, k: k, filter: accept).map { ($0.id, Double($0.score)) }
    }

    /// The index for the table as it is now (cached while count and last update stay the same).
    func loadIndex(_ store: EngramStore) throws -> VectorIndex {
        let model = modelID
        let version = try store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT count(*) AS n, max(updated_at) AS t FROM embeddings WHERE model = ? AND status = 'done'",
                             arguments: [model]).map { "\($0["n"] as Int? ?? 0)|\($0["t"] as String? ?? "")" } ?? ""
        }
        if let hit = cache.get(version) { return hit }
        let rows = try store.writer.read { db in try EmbeddingStore.vectors(db, model: model) }
        var index = VectorIndex(dimensions: encoder.dimensions, storage: storage)
        for row in rows where row.vector.count == encoder.dimensions {
            try? index.add(id: row.rowid, vector: row.vector)
        }
        cache.set(version, index)
        return index
    }
}

/// The loaded index, shared by copies of one embedder (a search service is a value type).
final class IndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version: String?
    private var index: VectorIndex?

    func get(_ v: String) -> VectorIndex? {
        lock.lock(); defer { lock.unlock() }
        return version == v ? index : nil
    }

    func set(_ v: String, _ i: VectorIndex) {
        lock.lock(); defer { lock.unlock() }
        version = v; index = i
    }
}
