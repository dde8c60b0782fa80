import EngramCore
import EngramEmbeddings
import EngramSQLite
import Foundation

/// The query side of semantic search: the configured engine (local encoder or provider) plus an in-memory
/// `VectorIndex` loaded lazily from the store's vectors (`VectorStore`) and reloaded when they change.
///
/// The index holds each vector as bytes (a quarter of float32's memory); by default a search still answers with
/// float32 cosines, reading back from the store the few vectors whose byte score could reach the top (`embeddings.int8`
/// skips that and ranks by the byte scores alone).
package struct EmbeddingQueryEmbedder: QueryEmbedder {
    let encoder: any EmbeddingEngine
    /// Rank by byte scores alone, without reading any float32 vector back.
    let approximate: Bool
    /// Where `ENGRAM_SIMD` is read when the index loads.
    let environment: [String: String]
    let cache = IndexCache()

    package init(encoder: any EmbeddingEngine, int8: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.encoder = encoder
        self.approximate = int8
        self.environment = environment
    }

    package var modelID: String { encoder.modelID }

    /// A provider that cannot be reached makes the search keyword-only (`QueryEmbedderUnavailable`);
    /// any other failure (a bad answer) is the caller's error.
    package func embedQuery(_ text: String) throws -> [Float] {
        do {
            return try encoder.embedSync([text], kind: .query).first ?? []
        } catch let error as EmbeddingError where error.isUnreachable {
            throw QueryEmbedderUnavailable(reason: "the embeddings provider is unreachable (\(error.localizedDescription))")
        }
    }

    package func nearest(
        _ query: [Float], k: Int, in vectors: any VectorStore,
        accept: @escaping @Sendable (Int64) -> Bool
    ) throws -> [(key: Int64, score: Double)] {
        let hits: [VectorIndex.Hit]
        if approximate {
            let index = try loadIndex(vectors)
            guard index.dimensions == query.count else { return [] }
            hits = try index.search(query, k: k, filter: accept)
        } else {
            // One read for the version check and the rows read back: the index and the stored vectors are one snapshot.
            let model = modelID
            hits = try vectors.read { snapshot in
                let index = try loadIndex(snapshot)
                guard index.dimensions == query.count else { return [] }
                // Each vector's key is where the store keeps it.
                return try index.search(query, k: k, filter: accept) { rows in
                    try snapshot.vectors(at: rows.map { (location: $0.key, indexKey: $0.id) }, model: model)
                }
            }
        }
        return hits.map { ($0.id, Double($0.score)) }
    }

    /// Loads the index now (a long-lived process at start, a benchmark before timing) so no search pays for it.
    /// Returns how many vectors it holds and their bytes.
    @discardableResult
    package func preload(_ vectors: any VectorStore) throws -> (vectors: Int, bytes: Int) {
        let index = try loadIndex(vectors)
        return (index.count, index.vectorBytes)
    }

    package func warmUp(_ vectors: any VectorStore) throws {
        try preload(vectors)
    }

    func loadIndex(_ vectors: any VectorStore) throws -> VectorIndex {
        try vectors.read { snapshot in try loadIndex(snapshot) }
    }

    /// The index for the vectors as `snapshot` sees them (cached while their version stays the same). Version and
    /// vectors come from one read, so the cached index is exactly what that version names; vectors stream into the
    /// index, never all held twice.
    func loadIndex(_ snapshot: any VectorSnapshot) throws -> VectorIndex {
        let model = modelID
        let version = try snapshot.version()
        if let hit = cache.get(version) { return hit }
        // One load at a time: the worker's warm-up and its first searches must not each build a copy.
        return try cache.loading {
            if let hit = cache.get(version) { return hit }
            let index = try buildIndex(snapshot, model: model)
            cache.set(version, index)
            return index
        }
    }

    private func buildIndex(_ snapshot: any VectorSnapshot, model: String) throws -> VectorIndex {
        // A provider's length may be known only from what it answered.
        let dims = encoder.dimensions > 0 ? encoder.dimensions : try snapshot.dimensions(model: model) ?? 1
        // ENGRAM_SIMD set to a path this machine cannot run is an error here as it is for the encoder.
        var index = VectorIndex(dimensions: dims, storage: .int8, kernelPath: try KernelPath.automatic(environment: environment))
        index.reserveCapacity(try snapshot.capacityHint())
        try snapshot.forEachVector(model: model) { key, location, v in
            if v.count == dims { try? index.add(id: key, vector: v, key: location) }
        }
        return index
    }
}

/// The loaded index, shared by copies of one embedder (a search service is a value type).
final class IndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private let loadLock = NSLock()
    private var version: String?
    private var index: VectorIndex?
    /// How many indexes were built (tests).
    private(set) var loads = 0

    /// Runs `build` while no other load runs.
    func loading<T>(_ build: () throws -> T) rethrows -> T {
        loadLock.lock(); defer { loadLock.unlock() }
        return try build()
    }

    func get(_ v: String) -> VectorIndex? {
        lock.lock(); defer { lock.unlock() }
        return version == v ? index : nil
    }

    func set(_ v: String, _ i: VectorIndex) {
        lock.lock(); defer { lock.unlock() }
        version = v; index = i; loads += 1
    }
}
