import EngramKernels
import EngramKernelsAVX2
import Foundation

/// An in-memory brute-force cosine index over vectors keyed by Int64 ids, scanned with SIMD on all cores.
/// Vectors are L2-normalised on insert, so scores are cosine similarities in [-1, 1].
/// `.int8` stores each vector as bytes with one scale (4× less memory, cosine error ≈ 1e-3).
public struct VectorIndex: Sendable {
    public enum Storage: String, Sendable, Codable { case float32, int8 }

    /// One search result.
    public struct Hit: Sendable, Equatable {
        public let id: Int64
        public let score: Float
    }

    public let dimensions: Int
    public let storage: Storage
    /// Workers used by `search` on large indexes.
    public var threads: Int

    private var ids: [Int64] = []
    private var rowOf: [Int64: Int] = [:]
    private var floats: [Float] = []
    private var bytes: [Int8] = []
    private var scales: [Float] = []

    /// The scan's compiled copy: AVX2 + FMA where the encoder would use it (`ENGRAM_SIMD` applies here too).
    public let kernelPath: KernelPath

    public init(dimensions: Int, storage: Storage = .float32, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                kernelPath: KernelPath? = nil) {
        self.dimensions = max(1, dimensions)
        self.storage = storage
        self.threads = max(1, threads)
        self.kernelPath = kernelPath.flatMap { $0.isAvailable ? $0 : nil } ?? (try? KernelPath.automatic()) ?? .baseline
    }

    public var count: Int { ids.count }
    public func contains(id: Int64) -> Bool { rowOf[id] != nil }

    /// Bytes held by vector storage (for `engram bench` and memory budgets).
    public var vectorBytes: Int { floats.count * 4 + bytes.count + scales.count * 4 }

    /// Adds or replaces the vector for `id`.
    public mutating func add(id: Int64, vector: [Float]) throws {
        guard vector.count == dimensions else { throw EmbeddingError.dimensionMismatch(expected: dimensions, actual: vector.count) }
        guard vector.allSatisfy({ $0.isFinite }) else { throw EmbeddingError.invalidArgument("vector for id \(id) has NaN or infinite values") }
        var v = vector
        VectorMath.normalize(&v)
        let row: Int
        if let existing = rowOf[id] {
            row = existing
        } else {
            row = ids.count
            ids.append(id)
            rowOf[id] = row
            switch storage {
            case .float32: floats.append(contentsOf: repeatElement(0, count: dimensions))
            case .int8:
                bytes.append(contentsOf: repeatElement(0, count: dimensions))
                scales.append(0)
            }
        }
        write(v, row: row)
    }

    /// Removes `id`; returns false when it was not present. O(dimensions): the last row moves into the hole.
    @discardableResult
    public mutating func remove(id: Int64) -> Bool {
        guard let row = rowOf.removeValue(forKey: id) else { return false }
        let last = ids.count - 1
        if row != last {
            let movedID = ids[last]
            ids[row] = movedID
            rowOf[movedID] = row
            switch storage {
            case .float32:
                for i in 0..<dimensions { floats[row * dimensions + i] = floats[last * dimensions + i] }
            case .int8:
                for i in 0..<dimensions { bytes[row * dimensions + i] = bytes[last * dimensions + i] }
                scales[row] = scales[last]
            }
        }
        ids.removeLast()
        switch storage {
        case .float32: floats.removeLast(dimensions)
        case .int8: bytes.removeLast(dimensions); scales.removeLast()
        }
        return true
    }

    /// The `k` ids most similar to `query`, best first (ties broken by smaller id). Optional `filter` keeps ids it accepts.
    public func search(_ query: [Float], k: Int, filter: ((Int64) -> Bool)? = nil) throws -> [Hit] {
        guard query.count == dimensions else { throw EmbeddingError.dimensionMismatch(expected: dimensions, actual: query.count) }
        guard k > 0, !ids.isEmpty else { return [] }
        var q = query
        VectorMath.normalize(&q)
        let scores = scoreAll(q)
        // Bounded selection: keep the best k in a small sorted buffer; cheap for the k ≤ 100 search needs.
        var best: [Hit] = []
        best.reserveCapacity(k + 1)
        func better(_ a: Hit, _ b: Hit) -> Bool { a.score != b.score ? a.score > b.score : a.id < b.id }
        for row in 0..<ids.count {
            let hit = Hit(id: ids[row], score: scores[row])
            if best.count == k, let worst = best.last, !better(hit, worst) { continue }
            if let filter, !filter(hit.id) { continue }
            var lo = 0, hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if better(best[mid], hit) { lo = mid + 1 } else { hi = mid }
            }
            best.insert(hit, at: lo)
            if best.count > k { best.removeLast() }
        }
        return best
    }

    /// The stored (normalised, possibly dequantised) vector for `id`.
    public func vector(id: Int64) -> [Float]? {
        guard let row = rowOf[id] else { return nil }
        switch storage {
        case .float32: return Array(floats[(row * dimensions)..<((row + 1) * dimensions)])
        case .int8: return (0..<dimensions).map { Float(bytes[row * dimensions + $0]) * scales[row] }
        }
    }

    private mutating func write(_ v: [Float], row: Int) {
        switch storage {
        case .float32:
            for i in 0..<dimensions { floats[row * dimensions + i] = v[i] }
        case .int8:
            let maxAbs = v.reduce(Float(0)) { max($0, abs($1)) }
            let scale = maxAbs > 0 ? maxAbs / 127 : 0
            for i in 0..<dimensions {
                bytes[row * dimensions + i] = scale > 0 ? Int8(clamping: Int((v[i] / scale).rounded())) : 0
            }
            scales[row] = scale
        }
    }

    private func scoreAll(_ q: [Float]) -> [Float] {
        let n = ids.count, d = dimensions
        var scores = [Float](repeating: 0, count: n)
        let workers = n * d >= 262_144 ? threads : 1
        let chunk = (n + workers - 1) / workers
        let avx2 = kernelPath == .avx2
        q.withUnsafeBufferPointer { qp in
            scores.withUnsafeMutableBufferPointer { sp in
                let pq = SendableConstPointer(qp.baseAddress!), ps = SendablePointer(sp.baseAddress!)
                switch storage {
                case .float32:
                    floats.withUnsafeBufferPointer { fp in
                        let pf = SendableConstPointer(fp.baseAddress!)
                        let body: @Sendable (Int) -> Void = { w in
                            let range = (w * chunk)..<min(n, w * chunk + chunk)
                            guard !range.isEmpty else { return }
                            if avx2 {
                                AVX2VectorScan.float32(rows: pf.raw, dimensions: d, query: pq.raw, range: range, scores: ps.raw)
                            } else {
                                BaselineVectorScan.float32(rows: pf.raw, dimensions: d, query: pq.raw, range: range, scores: ps.raw)
                            }
                        }
                        if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
                    }
                case .int8:
                    bytes.withUnsafeBufferPointer { bp in
                        scales.withUnsafeBufferPointer { scp in
                            let pb = SendableBytes(bp.baseAddress!), psc = SendableConstPointer(scp.baseAddress!)
                            let body: @Sendable (Int) -> Void = { w in
                                let range = (w * chunk)..<min(n, w * chunk + chunk)
                                guard !range.isEmpty else { return }
                                if avx2 {
                                    AVX2VectorScan.int8(rows: pb.raw, scales: psc.raw, dimensions: d, query: pq.raw, range: range, scores: ps.raw)
                                } else {
                                    BaselineVectorScan.int8(rows: pb.raw, scales: psc.raw, dimensions: d, query: pq.raw, range: range, scores: ps.raw)
                                }
                            }
                            if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
                        }
                    }
                }
            }
        }
        return scores
    }
}

/// Read-only int8 pointer that may cross into `concurrentPerform`.
struct SendableBytes: @unchecked Sendable {
    let raw: UnsafePointer<Int8>
    init(_ raw: UnsafePointer<Int8>) { self.raw = raw }
}
