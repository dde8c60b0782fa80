internal import EngramKernels
internal import EngramKernelsAVX2
internal import EngramKernelsAVX512
import Foundation

/// An in-memory brute-force cosine index over vectors keyed by Int64 ids, scanned with SIMD on all cores.
/// Vectors are L2-normalised on insert, so scores are cosine similarities in [-1, 1].
///
/// Every vector is kept as bytes with one scale, and the search scans those (a quarter of float32's memory
/// traffic, which is what bounds a scan of 100k vectors). The byte score plus a bound on its error is at least the
/// float32 score, so an exact answer needs float32 scores only for the few rows whose bound reaches the k-th best:
/// `.float32` keeps the vectors in memory for that; `.int8` keeps the bytes alone and answers exactly when the
/// search is given the stored vectors to read (`ExactVectors`), from its byte scores (within ≈ 1e-3) otherwise.
package struct VectorIndex: Sendable {
    package enum Storage: String, Sendable, Codable { case float32, int8 }

    /// The float32 vectors of the rows asked for (each id with the key it was added with, such as its row in a
    /// table), keyed by id, as they were added (the index normalises them the same way); rows no longer stored
    /// are left out. Lets an `.int8` index answer exactly without holding the floats.
    package typealias ExactVectors = ([(id: Int64, key: Int64)]) throws -> [Int64: [Float]]

    /// One search result.
    package struct Hit: Sendable, Equatable {
        package let id: Int64
        package let score: Float
    }

    package let dimensions: Int
    package let storage: Storage
    /// Workers used by `search` on large indexes.
    package var threads: Int

    private var ids: [Int64] = []
    /// What `add` was given beside each id, handed back to `ExactVectors`.
    private var keys: [Int64] = []
    private var rowOf: [Int64: Int] = [:]
    /// `.float32` only: the normalised vectors, row after row.
    private var floats: [Float] = []
    /// Every row quantised: `vector ≈ scale × bytes`.
    private var bytes: [Int8] = []
    private var scales: [Float] = []
    /// ‖vector − scale × bytes‖₂ per row, one of the two bounds on a byte score's error.
    private var residuals: [Float] = []

    /// The scan's compiled copy: AVX-512 or AVX2 + FMA where the encoder would use it (`ENGRAM_SIMD` applies here too).
    package let kernelPath: KernelPath

    package init(
        dimensions: Int, storage: Storage = .float32, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        kernelPath: KernelPath? = nil
    ) {
        self.dimensions = max(1, dimensions)
        self.storage = storage
        self.threads = max(1, threads)
        self.kernelPath = kernelPath.flatMap { $0.isAvailable ? $0 : nil } ?? (try? KernelPath.automatic()) ?? .baseline
    }

    package var count: Int { ids.count }
    package func contains(id: Int64) -> Bool { rowOf[id] != nil }

    /// Bytes held by vector storage (for `engram-bench` and memory budgets).
    package var vectorBytes: Int { floats.count * 4 + bytes.count + scales.count * 4 + residuals.count * 4 + keys.count * 8 }

    /// Room for `n` vectors in all, so loading a known count copies nothing as it grows.
    package mutating func reserveCapacity(_ n: Int) {
        ids.reserveCapacity(n)
        keys.reserveCapacity(n)
        rowOf.reserveCapacity(n)
        bytes.reserveCapacity(n * dimensions)
        scales.reserveCapacity(n)
        residuals.reserveCapacity(n)
        if storage == .float32 { floats.reserveCapacity(n * dimensions) }
    }

    /// Adds or replaces the vector for `id`; `key` is kept beside it for `ExactVectors` (where the vector is stored).
    package mutating func add(id: Int64, vector: [Float], key: Int64 = 0) throws {
        try vector.withUnsafeBufferPointer { try add(id: id, vector: $0, key: key) }
    }

    /// Adds or replaces the vector for `id`, read from a buffer (loading from the store, nothing is copied first).
    package mutating func add(id: Int64, vector: UnsafeBufferPointer<Float>, key: Int64 = 0) throws {
        guard vector.count == dimensions, let source = vector.baseAddress else {
            throw EmbeddingError.dimensionMismatch(expected: dimensions, actual: vector.count)
        }
        for x in vector where !x.isFinite { throw EmbeddingError.invalidArgument("vector for id \(id) has NaN or infinite values") }
        guard let factor = Self.normalizingFactor(source, count: dimensions) else {
            throw EmbeddingError.invalidArgument("vector for id \(id) is too large to normalise")
        }
        let row: Int
        if let existing = rowOf[id] {
            row = existing
        } else {
            row = ids.count
            ids.append(id)
            keys.append(key)
            rowOf[id] = row
            bytes.append(contentsOf: repeatElement(0, count: dimensions))
            scales.append(0)
            residuals.append(0)
            if storage == .float32 { floats.append(contentsOf: repeatElement(0, count: dimensions)) }
        }
        keys[row] = key
        write(source, scaledBy: factor, row: row)
    }

    /// What normalising multiplies each value by (a zero vector stays zero, as `VectorMath.normalize` leaves it);
    /// nil when the squared norm overflows. Stored and re-read vectors go through this one computation.
    static func normalizingFactor(_ v: UnsafePointer<Float>, count: Int) -> Float? {
        let squares = VectorMath.dot(v, v, count: count)
        guard squares.isFinite else { return nil }
        let norm = squares.squareRoot()
        return norm > 1e-12 ? 1 / norm : 1
    }

    /// Removes `id`; returns false when it was not present. O(dimensions): the last row moves into the hole.
    @discardableResult
    package mutating func remove(id: Int64) -> Bool {
        guard let row = rowOf.removeValue(forKey: id) else { return false }
        let last = ids.count - 1
        let d = dimensions
        if row != last {
            let movedID = ids[last]
            ids[row] = movedID
            keys[row] = keys[last]
            rowOf[movedID] = row
            for i in 0..<d { bytes[row * d + i] = bytes[last * d + i] }
            scales[row] = scales[last]
            residuals[row] = residuals[last]
            if storage == .float32 { for i in 0..<d { floats[row * d + i] = floats[last * d + i] } }
        }
        ids.removeLast()
        keys.removeLast()
        bytes.removeLast(d)
        scales.removeLast()
        residuals.removeLast()
        if storage == .float32 { floats.removeLast(d) }
        return true
    }

    /// The `k` ids most similar to `query`, best first (ties broken by smaller id). Optional `filter` keeps ids it
    /// accepts. The scores are float32 cosines for a `.float32` index, and for an `.int8` one given `exact`
    /// (the rows it rescores are read through it); byte scores otherwise.
    package func search(_ query: [Float], k: Int, filter: ((Int64) -> Bool)? = nil, exact: ExactVectors? = nil) throws -> [Hit] {
        let q = try normalizedQuery(query)
        guard k > 0, !ids.isEmpty else { return [] }
        if q.allSatisfy({ $0 == 0 }) {
            // A zero query scores every row exactly 0: the first k accepted by id, nothing to rescore.
            var best = TopK(k)
            for row in 0..<ids.count { best.offer(Hit(id: ids[row], score: 0), filter) }
            return best.hits
        }
        var scores = scoreBytes(q)
        switch (storage, exact) {
        case (.float32, _):
            return try rescored(q, k: k, bounds: &scores, filter: filter) { rows in rows.map { exactScore(q, row: $0) } }
        case (.int8, let lookup?):
            return try rescored(q, k: k, bounds: &scores, filter: filter) { rows in
                let found = try lookup(rows.map { (id: ids[$0], key: keys[$0]) })
                return rows.map { row in found[ids[row]].flatMap { exactScore(q, vector: $0) } }
            }
        case (.int8, nil):
            var best = TopK(k)
            for row in 0..<ids.count { best.offer(Hit(id: ids[row], score: scores[row]), filter) }
            return best.hits
        }
    }

    /// What `search` on a `.float32` index must answer: every stored vector scored in float32. For tests and
    /// benchmarks; `.int8` indexes answer from their bytes.
    package func exhaustiveSearch(_ query: [Float], k: Int, filter: ((Int64) -> Bool)? = nil) throws -> [Hit] {
        guard storage == .float32 else { return try search(query, k: k, filter: filter) }
        let q = try normalizedQuery(query)
        guard k > 0, !ids.isEmpty else { return [] }
        let scores = scoreFloats(q)
        var best = TopK(k)
        for row in 0..<ids.count { best.offer(Hit(id: ids[row], score: scores[row]), filter) }
        return best.hits
    }

    /// The stored (normalised, possibly dequantised) vector for `id`.
    package func vector(id: Int64) -> [Float]? {
        guard let row = rowOf[id] else { return nil }
        switch storage {
        case .float32: return Array(floats[(row * dimensions)..<((row + 1) * dimensions)])
        case .int8: return (0..<dimensions).map { Float(bytes[row * dimensions + $0]) * scales[row] }
        }
    }

    private func normalizedQuery(_ query: [Float]) throws -> [Float] {
        guard query.count == dimensions else { throw EmbeddingError.dimensionMismatch(expected: dimensions, actual: query.count) }
        guard query.allSatisfy({ $0.isFinite }) else { throw EmbeddingError.invalidArgument("the query vector has NaN or infinite values") }
        var q = query
        VectorMath.normalize(&q)
        return q
    }

    /// The float32 answer from the byte scores. With `v = s·b + r` (|rᵢ| ≤ s/2), the float score `q·v` is the byte
    /// score `s·(q·b)` plus `q·r`, and |q·r| ≤ min(s/2 · ‖q‖₁, ‖r‖₂). Each row's byte score plus that bound, plus
    /// the rounding of both dot products, is at least its float score; so once the k-th best float score among
    /// rows already scored is τ, no row whose bound is below τ can enter, and only the others are scored in
    /// float32 (`score`: nil for a row whose vector is gone). `bounds` holds the byte scores on entry.
    private func rescored(
        _ q: [Float], k: Int, bounds: inout [Float], filter: ((Int64) -> Bool)?,
        score: ([Int]) throws -> [Float?]
    ) throws -> [Hit] {
        let n = ids.count
        let halfL1 = q.reduce(Float(0)) { $0 + abs($1) } / 2
        // γ(d+1) for each of the two float dot products (terms bounded by ‖q‖‖v‖ ≈ 1), with room to spare.
        let rounding = Float(4 * (dimensions + 1)) * (Float.ulpOfOne / 2)
        for row in 0..<n {
            bounds[row] += min(scales[row] * halfL1, residuals[row]) * 1.001 + rounding
        }
        var best = TopK(k)
        func offer(_ rows: [Int]) throws {
            for (row, s) in zip(rows, try score(rows)) { if let s { best.offer(Hit(id: ids[row], score: s), nil) } }
        }
        var taken: [Bool] = [] // rows scored so far; kept from the second batch on
        while true {
            // The unscored rows with the highest bounds: the k-th float score among them usually rules out all others.
            var batch = TopK(k + k / 4 + 8)
            for row in 0..<n where taken.isEmpty || !taken[row] { batch.offer(Hit(id: ids[row], score: bounds[row]), filter, row: row) }
            try offer(batch.rows)
            // Every accepted row has been scored: done.
            guard batch.isFull, let last = batch.hits.last else { return best.hits }
            if taken.isEmpty { taken = [Bool](repeating: false, count: n) }
            for row in batch.rows { taken[row] = true }
            // Fewer than k scored (rows gone from the store since the index loaded): the next batch.
            guard best.isFull else { continue }
            // No unscored row reaches τ: done. Otherwise score every one that does.
            let tau = best.threshold
            guard last.score >= tau else { return best.hits }
            var more: [Int] = []
            for row in 0..<n where !taken[row] && bounds[row] >= tau {
                if let filter, !filter(ids[row]) { continue }
                more.append(row)
            }
            try offer(more)
            return best.hits
        }
    }

    /// Row `row`'s float32 score, as a scan of every row computes it.
    private func exactScore(_ q: [Float], row: Int) -> Float {
        floats.withUnsafeBufferPointer { rowScore($0.baseAddress!, row: row, q) }
    }

    /// The float32 score of a vector read back from the store: normalised exactly as `add` normalises it, then
    /// scored by the same kernel, so it equals what a `.float32` index holding it would answer.
    private func exactScore(_ q: [Float], vector: [Float]) -> Float? {
        guard vector.count == dimensions, vector.allSatisfy({ $0.isFinite }) else { return nil }
        guard let factor = vector.withUnsafeBufferPointer({ Self.normalizingFactor($0.baseAddress!, count: dimensions) }) else { return nil }
        return vector.map { $0 * factor }.withUnsafeBufferPointer { rowScore($0.baseAddress!, row: 0, q) }
    }

    /// One row of `rows` scored against `q` by this index's kernel.
    private func rowScore(_ rows: UnsafePointer<Float>, row: Int, _ q: [Float]) -> Float {
        q.withUnsafeBufferPointer { qp in
            switch kernelPath {
            case .avx512: AVX512VectorScan.float32(rows: rows, dimensions: dimensions, query: qp.baseAddress!, row: row)
            case .avx2: AVX2VectorScan.float32(rows: rows, dimensions: dimensions, query: qp.baseAddress!, row: row)
            case .baseline: BaselineVectorScan.float32(rows: rows, dimensions: dimensions, query: qp.baseAddress!, row: row)
            }
        }
    }

    /// Stores `source × factor` (the normalised vector) in `row`: its bytes, scale and residual's norm, and for
    /// `.float32` the floats. Eight lanes at a time: loading 100k vectors is mostly this loop.
    private mutating func write(_ source: UnsafePointer<Float>, scaledBy factor: Float, row: Int) {
        let d = dimensions, whole = d & ~7
        // Rounding is monotonic, so the largest |value| is the largest |source| scaled.
        var maxSource: Float = 0
        for i in 0..<d { maxSource = max(maxSource, abs(source[i])) }
        let maxAbs = maxSource * factor
        // A vector so small that its step would be subnormal keeps zero bytes: its residual is then the vector itself.
        let scale = maxAbs / 127 >= Float.leastNormalMagnitude ? maxAbs / 127 : 0
        let inverse = scale > 0 ? 1 / scale : 0
        // Adding 1.5 × 2²³ rounds |value × inverse| ≤ 127 to the nearest integer (ties to even), and leaves that
        // integer in the float's low bits: plain SIMD arithmetic, where Swift's generic float-to-int conversion
        // and clamping are slow per lane. No clamp is needed: |value| ≤ maxAbs, so |value × inverse| < 127.5.
        let magic: Float = 12_582_912, magicBits: Int32 = 0x4B40_0000
        let keepFloats = storage == .float32
        var squares = SIMD8<Float>(repeating: 0)
        var tail: Float = 0
        bytes.withUnsafeMutableBufferPointer { bp in
            floats.withUnsafeMutableBufferPointer { fp in
                let b = bp.baseAddress! + row * d
                let f = keepFloats ? fp.baseAddress! + row * d : nil
                var i = 0
                while i < whole {
                    let v = SIMDMemory.load8(source + i) * factor
                    let y = v * inverse + magic
                    let integers = unsafeBitCast(y, to: SIMD8<Int32>.self) &- magicBits
                    for lane in 0..<8 { b[i + lane] = Int8(truncatingIfNeeded: integers[lane]) }
                    if let f { SIMDMemory.store8(v, f + i) }
                    let r = v - (y - magic) * scale
                    squares = squares + r * r
                    i += 8
                }
                while i < d {
                    let v = source[i] * factor
                    let y = v * inverse + magic
                    b[i] = Int8(truncatingIfNeeded: Int32(bitPattern: y.bitPattern) &- magicBits)
                    f?[i] = v
                    let r = v - (y - magic) * scale
                    tail += r * r
                    i += 1
                }
            }
        }
        scales[row] = scale
        residuals[row] = (squares.sum() + tail).squareRoot()
    }

    /// Runs `body` over `n` rows split into one range per worker (one worker below ~256k multiply-adds).
    private func parallelRows(_ body: @escaping @Sendable (Range<Int>) -> Void) {
        let n = ids.count
        let workers = n * dimensions >= 262_144 ? threads : 1
        let chunk = (n + workers - 1) / workers
        let each: @Sendable (Int) -> Void = { w in
            let range = (w * chunk)..<min(n, w * chunk + chunk)
            if !range.isEmpty { body(range) }
        }
        if workers == 1 { each(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: each) }
    }

    /// Every row's score: `scan` runs once per worker's range of rows, with the query and the output.
    private func scoreRows(
        _ q: [Float],
        _ scan: @escaping @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Range<Int>) -> Void
    ) -> [Float] {
        var scores = [Float](repeating: 0, count: ids.count)
        q.withUnsafeBufferPointer { qp in
            scores.withUnsafeMutableBufferPointer { sp in
                let pq = SendableConstPointer(qp.baseAddress!), ps = SendablePointer(sp.baseAddress!)
                parallelRows { range in scan(pq.raw, ps.raw, range) }
            }
        }
        return scores
    }

    private func scoreBytes(_ q: [Float]) -> [Float] {
        let d = dimensions, path = kernelPath
        return bytes.withUnsafeBufferPointer { bp in
            scales.withUnsafeBufferPointer { scp in
                let pb = SendableBytes(bp.baseAddress!), psc = SendableConstPointer(scp.baseAddress!)
                return scoreRows(q) { query, scores, range in
                    switch path {
                    case .avx512:
                        AVX512VectorScan.int8(rows: pb.raw, scales: psc.raw, dimensions: d, query: query, range: range, scores: scores)
                    case .avx2:
                        AVX2VectorScan.int8(rows: pb.raw, scales: psc.raw, dimensions: d, query: query, range: range, scores: scores)
                    case .baseline:
                        BaselineVectorScan.int8(rows: pb.raw, scales: psc.raw, dimensions: d, query: query, range: range, scores: scores)
                    }
                }
            }
        }
    }

    private func scoreFloats(_ q: [Float]) -> [Float] {
        let d = dimensions, path = kernelPath
        return floats.withUnsafeBufferPointer { fp in
            let pf = SendableConstPointer(fp.baseAddress!)
            return scoreRows(q) { query, scores, range in
                switch path {
                case .avx512:
                    AVX512VectorScan.float32(rows: pf.raw, dimensions: d, query: query, range: range, scores: scores)
                case .avx2:
                    AVX2VectorScan.float32(rows: pf.raw, dimensions: d, query: query, range: range, scores: scores)
                case .baseline:
                    BaselineVectorScan.float32(rows: pf.raw, dimensions: d, query: query, range: range, scores: scores)
                }
            }
        }
    }
}

/// Read-only int8 pointer that may cross into `concurrentPerform`.
struct SendableBytes: @unchecked Sendable {
    let raw: UnsafePointer<Int8>
    init(_ raw: UnsafePointer<Int8>) { self.raw = raw }
}
