import Foundation
import Testing

@testable import EngramEmbeddings

@Suite("VectorIndex")
struct VectorIndexTests {
    static func vectors(_ n: Int, dims: Int, seed: UInt64) -> [[Float]] {
        let flat = KernelTests.randomMatrix(n * dims, seed: seed)
        return (0..<n).map { Array(flat[($0 * dims)..<(($0 + 1) * dims)]) }
    }

    /// Exact top-k by sorting all cosines: the oracle.
    static func bruteForce(_ data: [[Float]], _ q: [Float], k: Int) -> [Int64] {
        data.enumerated().map { (Int64($0.offset), VectorMath.cosine($0.element, q)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(k).map(\.0)
    }

    @Test("float32 top-k equals exact search, on one and two threads, on every kernel path", arguments: [1, 2], KernelPath.available)
    func float32(threads: Int, path: KernelPath) throws {
        let data = Self.vectors(3000, dims: 96, seed: 5)
        var index = VectorIndex(dimensions: 96, storage: .float32, threads: threads, kernelPath: path)
        #expect(index.kernelPath == path)
        for (i, v) in data.enumerated() { try index.add(id: Int64(i), vector: v) }
        for q in Self.vectors(5, dims: 96, seed: 77) {
            let hits = try index.search(q, k: 10)
            #expect(hits.map(\.id) == Self.bruteForce(data, q, k: 10))
            #expect(abs(hits[0].score - VectorMath.cosine(data[Int(hits[0].id)], q)) < 1e-5)
            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    /// `clusters` base vectors, each copied `copies` times with jitter far below int8's rounding, so the byte scores
    /// order each cluster's members almost at random while their float scores differ.
    static func nearDuplicates(clusters: Int, copies: Int, dims: Int, jitter: Float, seed: UInt64) -> [[Float]] {
        let bases = vectors(clusters, dims: dims, seed: seed)
        let noise = vectors(clusters * copies, dims: dims, seed: seed &+ 1)
        return (0..<(clusters * copies)).map { i in
            zip(bases[i / copies], noise[i]).map { $0 + jitter * $1 }
        }
    }

    @Test(
        "float32 search answers what a float32 scan of every vector answers, bit for bit, where byte scores misorder",
        arguments: [1, 2], KernelPath.available)
    func float32Exact(threads: Int, path: KernelPath) throws {
        let dims = 384
        // 8 clusters of 400 near-copies, plus exact duplicates (ties broken by id) and unrelated rows.
        var data = Self.nearDuplicates(clusters: 8, copies: 400, dims: dims, jitter: 0.002, seed: 41)
        data += Array(repeating: data[7], count: 5) + Self.vectors(800, dims: dims, seed: 42)
        var index = VectorIndex(dimensions: dims, storage: .float32, threads: threads, kernelPath: path)
        var bytesOnly = VectorIndex(dimensions: dims, storage: .int8, threads: threads, kernelPath: path)
        for (i, v) in data.enumerated() { try index.add(id: Int64(i), vector: v); try bytesOnly.add(id: Int64(i), vector: v) }
        // The bytes-only index reads the vectors it rescores back, as a search reads them from the store.
        var read = 0
        let lookup: VectorIndex.ExactVectors = { rows in
            read += rows.count
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, data[Int($0.id)]) })
        }
        let queries = [data[3], data[1205], data[7]] + Self.nearDuplicates(clusters: 2, copies: 1, dims: dims, jitter: 0.01, seed: 43)
        var misordered = 0, searches = 0
        for q in queries {
            for k in [1, 10, 60] {
                for filter in [nil, { (id: Int64) in id % 3 != 0 }] as [((Int64) -> Bool)?] {
                    let exact = try index.exhaustiveSearch(q, k: k, filter: filter)
                    #expect(try index.search(q, k: k, filter: filter) == exact)
                    #expect(try bytesOnly.search(q, k: k, filter: filter, exact: lookup) == exact)
                    if try bytesOnly.search(q, k: k, filter: filter).map(\.id) != exact.map(\.id) { misordered += 1 }
                    searches += 1
                }
            }
        }
        // Rescoring reads a small share of the rows, not all of them.
        #expect(read > 0 && read < searches * data.count / 4)
        // The case the bound exists for: byte scores alone pick other rows than the float scan.
        #expect(misordered >= 10)
        // Row 7 and its five exact copies score the same and come in id order.
        let copies: Set<Int64> = [7, 3200, 3201, 3202, 3203, 3204]
        let tied = try index.search(data[7], k: 20).filter { copies.contains($0.id) }
        #expect(tied.map(\.id) == [7, 3200, 3201, 3202, 3203, 3204])
        #expect(Set(tied.map(\.score)).count == 1)
    }

    @Test("rows whose vector is gone when rescoring are left out and the next-best fill the k; a failing read fails the search")
    func exactLookupMisses() throws {
        let data = Self.vectors(200, dims: 32, seed: 61)
        var index = VectorIndex(dimensions: 32, storage: .int8)
        for (i, v) in data.enumerated() { try index.add(id: Int64(i), vector: v) }
        let q = Self.vectors(1, dims: 32, seed: 62)[0]
        // The 20 best rows are gone from the store: more than the first batch of candidates can absorb.
        let gone = Set(Self.bruteForce(data, q, k: 20))
        var remaining = VectorIndex(dimensions: 32, storage: .float32)
        for (i, v) in data.enumerated() where !gone.contains(Int64(i)) { try remaining.add(id: Int64(i), vector: v) }
        let withoutGone: VectorIndex.ExactVectors = { rows in
            Dictionary(uniqueKeysWithValues: rows.filter { !gone.contains($0.id) }.map { ($0.id, data[Int($0.id)]) })
        }
        let hits = try index.search(q, k: 10, exact: withoutGone)
        #expect(hits.count == 10)
        #expect(hits == (try remaining.exhaustiveSearch(q, k: 10)))
        struct ReadFailed: Error {}
        #expect(throws: ReadFailed.self) { try index.search(q, k: 2, exact: { _ in throw ReadFailed() }) }
    }

    @Test("after many removals both indexes still answer the float32 scan, and bytes still match their vectors")
    func removals() throws {
        let dims = 48
        // 300 one-hot rows (bytes exact, residual 0), then 300 near-copies (residuals that matter): each removal of
        // a one-hot row moves a near-copy into its place, which must take its own scale and residual along.
        let spikes = (0..<300).map { i in (0..<dims).map { $0 == i % dims ? Float(1) : 0 } }
        let data = spikes + Self.nearDuplicates(clusters: 1, copies: 300, dims: dims, jitter: 0.002, seed: 71)
        var floats = VectorIndex(dimensions: dims, storage: .float32)
        var bytes = VectorIndex(dimensions: dims, storage: .int8)
        // Keys name where each vector is stored (here: its position in `data`, offset); removals move them with their rows.
        for (i, v) in data.enumerated() { try floats.add(id: Int64(i), vector: v); try bytes.add(id: Int64(i), vector: v, key: Int64(i) + 1000) }
        let removedIDs = Array(stride(from: 0, to: 300, by: 2)) + Array(stride(from: 301, to: 600, by: 7))
        for id in removedIDs {
            let removed = (floats.remove(id: Int64(id)), bytes.remove(id: Int64(id)))
            #expect(removed == (true, true))
        }
        #expect(floats.count == 600 - removedIDs.count && bytes.count == floats.count)
        let lookup: VectorIndex.ExactVectors = { rows in Dictionary(uniqueKeysWithValues: rows.map { ($0.id, data[Int($0.key) - 1000]) }) }
        for q in [data[300], data[450], data[599], data[1]] {
            let exact = try floats.exhaustiveSearch(q, k: 25)
            #expect(exact.allSatisfy { !removedIDs.contains(Int($0.id)) })
            #expect(try floats.search(q, k: 25) == exact)
            #expect(try bytes.search(q, k: 25, exact: lookup) == exact)
        }
        for id in [1, 300, 450, 599] {
            var n = data[id]
            VectorMath.normalize(&n)
            let step = n.map(abs).max()! / 127
            let stored = try #require(bytes.vector(id: Int64(id)))
            #expect(zip(stored, n).allSatisfy { abs($0 - $1) <= step / 2 * 1.0001 })
        }
    }

    @Test("a zero query scores every row 0 and returns the first k accepted ids without reading any vector")
    func zeroQuery() throws {
        let data = Self.vectors(50, dims: 8, seed: 81)
        var index = VectorIndex(dimensions: 8, storage: .int8)
        for (i, v) in data.enumerated() { try index.add(id: Int64(100 - i), vector: v) }
        var reads = 0
        let hits = try index.search(
            [Float](repeating: 0, count: 8), k: 5, filter: { $0 % 2 == 0 },
            exact: { rows in
                reads += rows.count; return [:]
            })
        #expect(hits.map(\.id) == [52, 54, 56, 58, 60])
        #expect(hits.allSatisfy { $0.score == 0 })
        #expect(reads == 0)
    }

    @Test("a vector too small for a normal byte step is scored exactly, not lost")
    func tinyVector() throws {
        let data: [[Float]] = [[1, 0, 0, 0], [-1, 0, 0, 0], [1e-38, 0, 0, 0], [0, 0, 1, 0]]
        var floats = VectorIndex(dimensions: 4, storage: .float32)
        var bytes = VectorIndex(dimensions: 4, storage: .int8)
        for (i, v) in data.enumerated() { try floats.add(id: Int64(i), vector: v); try bytes.add(id: Int64(i), vector: v) }
        let lookup: VectorIndex.ExactVectors = { rows in Dictionary(uniqueKeysWithValues: rows.map { ($0.id, data[Int($0.id)]) }) }
        let q: [Float] = [1, 0.5, 0, 0]
        let exact = try floats.exhaustiveSearch(q, k: 4)
        #expect(exact.map(\.id) == [0, 2, 3, 1])
        #expect(try floats.search(q, k: 4) == exact)
        #expect(try bytes.search(q, k: 4, exact: lookup) == exact)
    }

    @Test("bytes round each normalised value to the nearest step of its scale, in the SIMD body and the tail")
    func quantisation() throws {
        let dims = 383
        var data = Self.vectors(40, dims: dims, seed: 12)
        data.append((0..<dims).map { $0 == 5 ? 1 : 1e-6 }) // one spike: every other value rounds to 0
        data.append([Float](repeating: 0, count: dims)) // stays zero
        var index = VectorIndex(dimensions: dims, storage: .int8)
        for (i, v) in data.enumerated() { try index.add(id: Int64(i), vector: v) }
        for (i, v) in data.enumerated() {
            var n = v
            VectorMath.normalize(&n)
            let scale = n.map(abs).max()! / 127
            let stored = try #require(index.vector(id: Int64(i)))
            for j in 0..<dims { #expect(abs(stored[j] - n[j]) <= scale / 2 * 1.0001 + 1e-9) }
            let top = n.map(abs).max()!
            #expect(abs(stored.map(abs).max()! - top) <= 2 * top.ulp) // the largest value is ±127 steps
        }
        #expect(throws: EmbeddingError.self) { try index.add(id: 99, vector: [Float](repeating: 1e30, count: dims)) }
    }

    @Test("a query vector with NaN or infinity is refused", arguments: [VectorIndex.Storage.float32, .int8])
    func nonFiniteQuery(storage: VectorIndex.Storage) throws {
        var index = VectorIndex(dimensions: 3, storage: storage)
        try index.add(id: 1, vector: [1, 0, 0])
        #expect(throws: EmbeddingError.self) { try index.search([.nan, 0, 0], k: 1) }
        #expect(throws: EmbeddingError.self) { try index.search([.infinity, 0, 0], k: 1) }
    }

    @Test("int8 scores stay within 0.01 of float cosine and recall is high", arguments: KernelPath.available)
    func int8(path: KernelPath) throws {
        let data = Self.vectors(2000, dims: 384, seed: 8)
        var index = VectorIndex(dimensions: 384, storage: .int8, kernelPath: path)
        for (i, v) in data.enumerated() { try index.add(id: Int64(i), vector: v) }
        #expect(index.vectorBytes == 2000 * 384 + 2000 * 16) // bytes, a scale, a residual norm and a key per row
        var recall = 0
        for q in Self.vectors(10, dims: 384, seed: 99) {
            let hits = try index.search(q, k: 10)
            for hit in hits { #expect(abs(hit.score - VectorMath.cosine(data[Int(hit.id)], q)) < 0.01) }
            recall += Set(hits.map(\.id)).intersection(Self.bruteForce(data, q, k: 10)).count
        }
        #expect(recall >= 80)
    }

    static func expectSameScores(_ fastPath: KernelPath, storage: VectorIndex.Storage) throws {
        let data = Self.vectors(1500, dims: 383, seed: 21) // an odd width runs every tail of the scan
        var base = VectorIndex(dimensions: 383, storage: storage, threads: 2, kernelPath: .baseline)
        var fast = VectorIndex(dimensions: 383, storage: storage, threads: 2, kernelPath: fastPath)
        #expect(fast.kernelPath == fastPath)
        for (i, v) in data.enumerated() { try base.add(id: Int64(i), vector: v); try fast.add(id: Int64(i), vector: v) }
        for q in Self.vectors(4, dims: 383, seed: 3) {
            let a = try base.search(q, k: 1500), b = try fast.search(q, k: 1500)
            let scores = Dictionary(uniqueKeysWithValues: a.map { ($0.id, $0.score) })
            #expect(b.count == 1500)
            for hit in b { #expect(abs(hit.score - (scores[hit.id] ?? 9)) < 1e-5) }
        }
    }

    @Test(
        "the AVX2 scan scores as the baseline one does",
        .enabled(if: KernelPath.avx2.isAvailable, "skipped: \(KernelPath.avx2.unavailableReason ?? "")"),
        arguments: [VectorIndex.Storage.float32, .int8])
    func avx2PathAgrees(storage: VectorIndex.Storage) throws {
        try Self.expectSameScores(.avx2, storage: storage)
    }

    @Test(
        "the AVX-512 scan scores as the baseline one does",
        .enabled(if: KernelPath.avx512.isAvailable, "skipped: \(KernelPath.avx512.unavailableReason ?? "")"),
        arguments: [VectorIndex.Storage.float32, .int8])
    func avx512PathAgrees(storage: VectorIndex.Storage) throws {
        try Self.expectSameScores(.avx512, storage: storage)
    }

    @Test("add replaces, remove swaps in the last row, filter and k bounds")
    func mutation() throws {
        var index = VectorIndex(dimensions: 3)
        try index.add(id: 1, vector: [1, 0, 0])
        try index.add(id: 2, vector: [0, 1, 0])
        try index.add(id: 3, vector: [0, 0, 1])
        #expect(try index.search([1, 0.1, 0], k: 1).map(\.id) == [1])
        try index.add(id: 1, vector: [0, 0, 5])
        #expect(index.count == 3)
        #expect(index.vector(id: 1) == [0, 0, 1])
        let removed = index.remove(id: 2)
        let removedAgain = index.remove(id: 2)
        #expect(removed)
        #expect(!removedAgain)
        #expect(index.count == 2)
        #expect(index.vector(id: 3) == [0, 0, 1])
        #expect(try index.search([0, 0, 1], k: 10).map(\.id) == [1, 3])
        #expect(try index.search([0, 0, 1], k: 10, filter: { $0 != 1 }).map(\.id) == [3])
        #expect(try index.search([0, 0, 1], k: 0).isEmpty)
        #expect(throws: EmbeddingError.dimensionMismatch(expected: 3, actual: 2)) { try index.search([1, 0], k: 1) }
        #expect(throws: EmbeddingError.self) { try index.add(id: 9, vector: [.nan, 0, 0]) }
        #expect(try VectorIndex(dimensions: 3).search([1, 0, 0], k: 3).isEmpty)
    }
}
