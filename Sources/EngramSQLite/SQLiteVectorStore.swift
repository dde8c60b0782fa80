import EngramModel
import Foundation
import GRDB

/// Vectors in the `embeddings` table (`SQLiteEmbeddings`); a record's index key is its memory_fts rowid (a memory's,
/// which has no such row, the fourth residue of the scheme), so the keyword and vector lists fuse on one number.
package struct SQLiteVectorStore: VectorStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func missing(model: String, kinds: Set<RecordKind>, retryFailed: Bool, limit: Int) throws -> [VectorSource] {
        try writer.read { db in
            try SQLiteEmbeddings.missing(db, model: model, kinds: kinds, retryFailed: retryFailed, limit: limit)
                .map { VectorSource(key: VectorKey(kind: $0.kind, ref: $0.ref), text: $0.text) }
        }
    }

    package func store(_ results: [VectorResult], model: String, now: String) throws {
        guard !results.isEmpty else { return }
        try writer.write { db in
            for result in results {
                switch result {
                case .vector(let key, let vector):
                    guard let source = try SQLiteEnrichmentStore.source(key, in: db) else { continue }
                    try SQLiteEmbeddings.save(db, source: source, model: model, vector: vector, now: now)
                case .failed(let key, let error):
                    guard let source = try SQLiteEnrichmentStore.source(key, in: db) else { continue }
                    try SQLiteEmbeddings.markFailed(db, source: source, model: model, error: error, now: now)
                }
            }
        }
    }

    package func drop(kinds: Set<RecordKind>) throws {
        guard !kinds.isEmpty else { return }
        try writer.write { db in
            try db.execute(
                sql: "DELETE FROM embeddings WHERE kind IN (\(kinds.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments(kinds.map(\.rawValue).sorted()))
        }
    }

    package func status(_ key: VectorKey, model: String) throws -> VectorStatus {
        try writer.read { db in try SQLiteEmbeddings.status(db, kind: key.kind, ref: key.ref, model: model) }
    }

    package func vectors(_ keys: [VectorKey], model: String) throws -> [VectorKey: [Float]] {
        try writer.read { db in
            var out: [VectorKey: [Float]] = [:]
            for key in keys {
                if let v = try SQLiteEmbeddings.vector(db, kind: key.kind, ref: key.ref, model: model) { out[key] = v }
            }
            return out
        }
    }

    package func indexKeys(_ keys: [VectorKey]) throws -> [VectorKey: Int64] {
        // Only a summary's key needs the database (its session's seq).
        let needsRead = keys.contains { $0.kind == .summary }
        func map(_ db: Database?) throws -> [VectorKey: Int64] {
            var out: [VectorKey: Int64] = [:]
            out.reserveCapacity(keys.count)
            for key in keys {
                if let db, key.kind == .summary {
                    if let k = try SQLiteEmbeddings.indexKey(db, key) { out[key] = k }
                } else if key.kind != .summary, let id = Int64(key.ref) {
                    out[key] = id * 4 + Self.residue(key.kind)
                }
            }
            return out
        }
        return needsRead ? try writer.read { db in try map(db) } : try map(nil)
    }

    static func residue(_ kind: RecordKind) -> Int64 {
        switch kind {
        case .observation: return 0
        case .summary: return 1
        case .learning: return 2
        case .memory: return 3
        }
    }

    package func records(indexKeys: [Int64]) throws -> [Int64: VectorKey] {
        try writer.read { db in
            var out: [Int64: VectorKey] = [:]
            for k in indexKeys {
                if let key = try SQLiteEmbeddings.vectorKey(db, indexKey: k) { out[k] = key }
            }
            return out
        }
    }

    package func read<T>(_ body: (any VectorSnapshot) throws -> T) throws -> T {
        try writer.read { db in try body(SQLiteVectorSnapshot(db: db)) }
    }
}

/// One read transaction over `embeddings`.
struct SQLiteVectorSnapshot: VectorSnapshot {
    let db: Database

    /// The row count (SQLite counts an index's pages without stepping rows) and the newest row. A save is always a
    /// new row (INSERT OR REPLACE takes a fresh rowid) and so becomes the newest; a delete lowers the count. Scanning
    /// `updated_at` instead read every vector page: most of a search at 100k records.
    func version() throws -> String {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM embeddings") ?? 0
        guard let newest = try Row.fetchOne(db, sql: "SELECT rowid, kind, ref, status, updated_at FROM embeddings ORDER BY rowid DESC LIMIT 1") else {
            return "0"
        }
        let rowid: Int64 = newest["rowid"]
        let kind: String = newest["kind"], ref: String = newest["ref"], status: String = newest["status"], at: String = newest["updated_at"]
        return "\(count)|\(rowid)|\(kind)|\(ref)|\(status)|\(at)"
    }

    func capacityHint() throws -> Int {
        // The table's row count (cheap: an index's pages) is an upper bound on one model's vectors.
        try Int.fetchOne(db, sql: "SELECT count(*) FROM embeddings") ?? 0
    }

    func dimensions(model: String) throws -> Int? {
        try Int.fetchOne(
            db,
            sql: """
                SELECT length(vector) / 4 FROM embeddings WHERE model = ? AND status = 'done' AND vector IS NOT NULL LIMIT 1
                """, arguments: [model])
    }

    func forEachVector(model: String, _ body: (Int64, Int64, UnsafeBufferPointer<Float>) throws -> Void) throws {
        // The scan reads every vector page once: through a 1 MB page cache, or it would fill the connection's
        // 16 MB with pages no later query wants (resident for the process's life).
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -1024")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        try SQLiteEmbeddings.forEachVector(db, model: model, body)
    }

    func vectors(at rows: [(location: Int64, indexKey: Int64)], model: String) throws -> [Int64: [Float]] {
        try SQLiteEmbeddings.vectors(db, rows: rows.map { (rowid: $0.location, ftsRowid: $0.indexKey) }, model: model)
    }
}
