import EngramCore
import EngramEmbeddings
import Foundation
import GRDB
import EngramSQLite

/// The query side of semantic search: the configured engine (local encoder or provider) plus an in-memory
/// `VectorIndex` loaded lazily from the embeddings table and reloaded when the table's vectors for this model change.
///
/// The index holds each vector as bytes (a quarter of float32's memory); by default a search still answers with
/// float32 cosines, reading from the table the few vectors whose byte score could reach the top (`embeddings.int8`
/// skips that and ranks by the byte scores alone).
public struct EmbeddingQueryEmbedder: QueryEmbedder {
    let encoder: any EmbeddingEngine
    /// Rank by byte scores alone, without reading any float32 vector back.
    let approximate: Bool
    /// Where `ENGRAM_SIMD` is read when the index loads.
    let environment: [String: String]
    let cache = IndexCache()

    public init(encoder: any EmbeddingEngine, int8: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.encoder = encoder
        self.approximate = int8
        self.environment = environment
    }

    public var modelID: String { encoder.modelID }

    /// A provider that cannot be reached makes the search keyword-only (`QueryEmbedderUnavailable`);
    /// any other failure (a bad answer) is the caller's error.
    public func embedQuery(_ text: String) throws -> [Float] {
        do {
            return try encoder.embedSync([text], kind: .query).first ?? []
        } catch let error as EmbeddingError where error.isUnreachable {
            throw QueryEmbedderUnavailable(reason: "the embeddings provider is unreachable (\(error.localizedDescription))")
        }
    }

    public func nearest(_ query: [Float], k: Int, in store: EngramStore,
                        accept: @escaping @Sendable (Int64) -> Bool) throws -> [(rowid: Int64, score: Double)] {
        let hits: [VectorIndex.Hit]
        if approximate {
            let index = try loadIndex(store)
            guard index.dimensions == query.count else { return [] }
            hits = try index.search(query, k: k, filter: accept)
        } else {
            // One read for the version check and the rows read back: the index and the table are one snapshot.
            let model = modelID
            hits = try store.writer.read { db in
                let index = try loadIndex(db)
                guard index.dimensions == query.count else { return [] }
                // Each vector's key is its row in the embeddings table.
                return try index.search(query, k: k, filter: accept) { rows in
                    try EmbeddingStore.vectors(db, rows: rows.map { (rowid: $0.key, ftsRowid: $0.id) }, model: model)
                }
            }
        }
        return hits.map { ($0.id, Double($0.score)) }
    }

    /// Loads the index now (a long-lived process at start, a benchmark before timing) so no search pays for it.
    /// Returns how many vectors it holds and their bytes.
    @discardableResult
    public func preload(_ store: EngramStore) throws -> (vectors: Int, bytes: Int) {
        let index = try loadIndex(store)
        return (index.count, index.vectorBytes)
    }

    public func warmUp(_ store: EngramStore) throws {
        try preload(store)
    }

    func loadIndex(_ store: EngramStore) throws -> VectorIndex {
        try store.writer.read { db in try loadIndex(db) }
    }

    /// The index for the table as `db` sees it (cached while the table's version stays the same). Version and
    /// vectors come from one read, so the cached index is exactly what that version names; vectors stream from
    /// the cursor into the index, never all held twice.
    func loadIndex(_ db: Database) throws -> VectorIndex {
        let model = modelID
        let version = try Self.version(db)
        if let hit = cache.get(version) { return hit }
        // One load at a time: the worker's warm-up and its first searches must not each build a copy.
        return try cache.loading {
            if let hit = cache.get(version) { return hit }
            let index = try buildIndex(db, model: model)
            cache.set(version, index)
            return index
        }
    }

    private func buildIndex(_ db: Database, model: String) throws -> VectorIndex {
        // A provider's length may be known only from what it answered.
        let dims = encoder.dimensions > 0 ? encoder.dimensions : try Int.fetchOne(db, sql: """
            SELECT length(vector) / 4 FROM embeddings WHERE model = ? AND status = 'done' AND vector IS NOT NULL LIMIT 1
            """, arguments: [model]) ?? 1
        // ENGRAM_SIMD set to a path this machine cannot run is an error here as it is for the encoder.
        var index = VectorIndex(dimensions: dims, storage: .int8, kernelPath: try KernelPath.automatic(environment: environment))
        // The table's row count (cheap: an index's pages) is an upper bound on this model's vectors.
        let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM embeddings") ?? 0
        index.reserveCapacity(rows)
        // The scan reads every vector page once: through a 1 MB page cache, or it would fill the connection's
        // 16 MB with pages no later query wants (resident for the process's life).
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -1024")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        try EmbeddingStore.forEachVector(db, model: model) { id, rowid, v in
            if v.count == dims { try? index.add(id: id, vector: v, key: rowid) }
        }
        return index
    }
}

extension EmbeddingQueryEmbedder {
    /// A fingerprint of the embeddings table that any insert, replace or delete changes, cheap enough for every
    /// search: the row count (SQLite counts an index's pages without stepping rows) and the newest row.
    /// A save is always a new row (INSERT OR REPLACE takes a fresh rowid) and so becomes the newest; a delete
    /// lowers the count. Scanning `updated_at` instead read every vector page: most of a search at 100k records.
    static func version(_ db: Database) throws -> String {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM embeddings") ?? 0
        guard let newest = try Row.fetchOne(db, sql: "SELECT rowid, kind, ref, status, updated_at FROM embeddings ORDER BY rowid DESC LIMIT 1") else {
            return "0"
        }
        let rowid: Int64 = newest["rowid"]
        let kind: String = newest["kind"], ref: String = newest["ref"], status: String = newest["status"], at: String = newest["updated_at"]
        return "\(count)|\(rowid)|\(kind)|\(ref)|\(status)|\(at)"
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
