import EngramModel
import Foundation
import GRDB

/// The `embeddings` table: one float32 vector per observation, session summary, learning and memory, tagged with the
/// model that made it. Status is derived: no row or a row from another model is pending. Each row carries its
/// record's key in the in-memory vector index (`ftsRowid`: the record's memory_fts rowid, see `Schema.FTSKind`), a
/// scheme that stays in this module: the engine names records by `VectorKey`. Public for the benchmark that seeds
/// a store directly.
public enum SQLiteEmbeddings {
    public typealias Status = VectorStatus

    /// A record whose text needs a vector.
    public struct Source: Sendable, Equatable {
        public var kind: RecordKind
        public var ref: String
        /// The record's memory_fts rowid: the key of the in-memory index.
        public var ftsRowid: Int64
        public var text: String

        public init(kind: RecordKind, ref: String, ftsRowid: Int64, text: String) {
            self.kind = kind; self.ref = ref; self.ftsRowid = ftsRowid; self.text = text
        }

        /// A stored observation's source; the index key scheme (see `Schema.FTSKind`) stays inside the store.
        public static func observation(_ record: ObservationRecord) -> Source? {
            guard let id = record.id else { return nil }
            return Source(
                kind: .observation, ref: String(id), ftsRowid: id * 4 + Schema.FTSKind.observation.rawValue,
                text: SQLiteEmbeddings.text(title: record.title, body: record.summary))
        }
    }

    /// Records of `kinds` without a done vector from `model` (failed ones too when `retryFailed`), oldest first.
    public static func missing(
        _ db: Database, model: String, kinds: Set<RecordKind> = Set(RecordKind.allCases),
        retryFailed: Bool = false, limit: Int = .max
    ) throws -> [Source] {
        let skip = retryFailed ? "e.model = ? AND e.status = 'done'" : "e.model = ?"
        var out: [Source] = []
        let cap = max(0, min(limit, Int(Int32.max)))
        if kinds.contains(.observation) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.title, o.summary FROM observations o
                    WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.kind = 'observation' AND e.ref = CAST(o.id AS TEXT) AND \(skip))
                    ORDER BY o.id LIMIT ?
                    """, arguments: [model, cap])
            out += rows.map { r in
                let id: Int64 = r["id"]
                return Source(kind: .observation, ref: String(id), ftsRowid: id * 4, text: text(title: r["title"], body: r["summary"]))
            }
        }
        if kinds.contains(.summary) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.seq, s.id, s.summary_text FROM sessions s
                    WHERE s.summary_text IS NOT NULL AND s.summary_text != ''
                      AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.kind = 'summary' AND e.ref = s.id AND \(skip))
                    ORDER BY s.seq LIMIT ?
                    """, arguments: [model, cap])
            out += rows.map { r in
                let seq: Int64 = r["seq"]
                return Source(kind: .summary, ref: r["id"], ftsRowid: seq * 4 + 1, text: r["summary_text"])
            }
        }
        if kinds.contains(.learning) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.content FROM learnings l
                    WHERE l.is_active = 1
                      AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.kind = 'learning' AND e.ref = CAST(l.id AS TEXT) AND \(skip))
                    ORDER BY l.id LIMIT ?
                    """, arguments: [model, cap])
            out += rows.map { r in
                let id: Int64 = r["id"]
                return Source(kind: .learning, ref: String(id), ftsRowid: id * 4 + 2, text: r["content"])
            }
        }
        if kinds.contains(.memory) {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.content FROM memories m
                    WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.kind = 'memory' AND e.ref = CAST(m.id AS TEXT) AND \(skip))
                    ORDER BY m.id LIMIT ?
                    """, arguments: [model, cap])
            out += rows.map { r in
                let id: Int64 = r["id"]
                return Source(kind: .memory, ref: String(id), ftsRowid: memoryKey(id), text: r["content"])
            }
        }
        return Array(out.prefix(cap))
    }

    /// The index key of `key`'s record (a summary's is its session's `seq`); nil when the record is gone.
    public static func indexKey(_ db: Database, _ key: VectorKey) throws -> Int64? {
        switch key.kind {
        case .observation: return Int64(key.ref).map { $0 * 4 }
        case .learning: return Int64(key.ref).map { $0 * 4 + 2 }
        case .memory: return Int64(key.ref).map(memoryKey)
        case .summary:
            return try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sessions WHERE id = ?"), arguments: [key.ref]).map { $0 * 4 + 1 }
        }
    }

    /// The record an index key names (the inverse of `indexKey`); nil for a summary whose session is gone.
    public static func vectorKey(_ db: Database, indexKey: Int64) throws -> VectorKey? {
        let id = indexKey / 4
        switch indexKey % 4 {
        case 0: return .observation(id)
        case 2: return VectorKey(kind: .learning, ref: String(id))
        case 3: return .memory(id)
        default:
            return try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM sessions WHERE seq = ?"), arguments: [id])
                .map { VectorKey(kind: .summary, ref: $0) }
        }
    }

    /// The vector-index key of a saved memory: memories have no memory_fts row, so the fourth residue of the
    /// rowid scheme (observation id*4, summary seq*4+1, learning id*4+2) is theirs.
    public static func memoryKey(_ id: Int64) -> Int64 { id * 4 + 3 }

    /// The text embedded for an observation: what a person would search for.
    public static func text(title: String, body: String) -> String { title + ". " + body }

    /// Stores (or replaces) the vector of one record.
    public static func save(_ db: Database, source: Source, model: String, vector: [Float], now: String) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO embeddings(kind, ref, fts_rowid, model, dims, vector, status, error, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'done', NULL, ?)
                """, arguments: [source.kind.rawValue, source.ref, source.ftsRowid, model, vector.count, encode(vector), now])
    }

    /// Records that embedding one record failed, so reindex does not retry it forever (`--force` does).
    public static func markFailed(_ db: Database, source: Source, model: String, error: String, now: String) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO embeddings(kind, ref, fts_rowid, model, dims, vector, status, error, updated_at)
                VALUES (?, ?, ?, ?, 0, NULL, 'failed', ?, ?)
                """, arguments: [source.kind.rawValue, source.ref, source.ftsRowid, model, String(error.prefix(500)), now])
    }

    /// The status of one record for `model`.
    public static func status(_ db: Database, kind: RecordKind, ref: String, model: String) throws -> Status {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT model, status FROM embeddings WHERE kind = ? AND ref = ?",
                arguments: [kind.rawValue, ref])
        else { return .pending }
        let m: String = row["model"]
        guard m == model else { return .pending }
        return Status(rawValue: row["status"]) ?? .pending
    }

    /// Every done vector of `model`, keyed by fts rowid (what an index loads).
    public static func vectors(_ db: Database, model: String) throws -> [(rowid: Int64, vector: [Float])] {
        var out: [(Int64, [Float])] = []
        try forEachVector(db, model: model) { id, _, v in out.append((id, Array(v))) }
        return out
    }

    /// Streams every done vector of `model` without holding them all: `body` gets each one's fts rowid, its own
    /// rowid in the table (for `vectors(_:rowids:)`) and the vector in a buffer that is reused for the next, decoded
    /// straight from SQLite's copy of the blob (an index of 100k vectors loads without 100k arrays beside it).
    public static func forEachVector(
        _ db: Database, model: String,
        _ body: (_ ftsRowid: Int64, _ rowid: Int64, UnsafeBufferPointer<Float>) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT fts_rowid, rowid, vector FROM embeddings WHERE model = ? AND status = 'done' AND vector IS NOT NULL
                """, arguments: [model])
        var buffer: [Float] = []
        while let r = try rows.next() {
            let id: Int64 = r[0], rowid: Int64 = r[1]
            try r.withUnsafeData(atIndex: 2) { data in
                guard let data else { return }
                let n = data.count / 4
                if buffer.count != n { buffer = [Float](repeating: 0, count: n) }
                buffer.withUnsafeMutableBufferPointer { out in
                    data.withUnsafeBytes { raw in
                        #if _endian(little)
                            UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(n * 4)]))
                        #else
                            for i in 0..<n {
                                out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                            }
                        #endif
                    }
                }
                try buffer.withUnsafeBufferPointer { try body(id, rowid, $0) }
            }
        }
    }

    /// The done vectors of `model` at the given table rows, keyed by fts rowid; a row since replaced or deleted
    /// (its rowid gone, or reused for another record) is left out. A search reads the few it rescores this way.
    public static func vectors(_ db: Database, rows: [(rowid: Int64, ftsRowid: Int64)], model: String) throws -> [Int64: [Float]] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT vector FROM embeddings WHERE rowid = ? AND fts_rowid = ? AND model = ? AND status = 'done'
                """)
        var out: [Int64: [Float]] = [:]
        out.reserveCapacity(rows.count)
        for row in rows {
            if let data = try Data.fetchOne(statement, arguments: [row.rowid, row.ftsRowid, model]) { out[row.ftsRowid] = decode(data) }
        }
        return out
    }

    /// The stored vector of one record, if done with `model`.
    public static func vector(_ db: Database, kind: RecordKind, ref: String, model: String) throws -> [Float]? {
        let data = try Data.fetchOne(
            db, sql: "SELECT vector FROM embeddings WHERE kind = ? AND ref = ? AND model = ? AND status = 'done'",
            arguments: [kind.rawValue, ref, model])
        return data.map(decode)
    }

    /// float32 little-endian bytes.
    public static func encode(_ v: [Float]) -> Data {
        var data = Data(capacity: v.count * 4)
        for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Inverse of `encode`; trailing bytes that do not make a whole float are ignored.
    public static func decode(_ data: Data) -> [Float] {
        let n = data.count / 4
        var out = [Float](repeating: 0, count: n)
        data.withUnsafeBytes { raw in
            for i in 0..<n { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        }
        return out
    }
}
