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

    @Test("int8 scores stay within 0.01 of float cosine and recall is high", arguments: KernelPath.available)
    func int8(path: KernelPath) throws {
        let data = Self.vectors(2000, dims: 384, seed: 8)
        var index = VectorIndex(dimensions: 384, storage: .int8, kernelPath: path)
        for (i, v) in data.enumerated() { try index.add(id: Int64(i), vector: v) }
        #expect(index.vectorBytes < 2000 * 384 + 2000 * 4 + 1)
        var recall = 0
        for q in Self.vectors(10, dims: 384, seed: 99) {
            let hits = try index.search(q, k: 10)
            for hit in hits { #expect(abs(hit.score - VectorMath.cosine(data[Int(hit.id)], q)) < 0.01) }
            recall += Set(hits.map(\.id)).intersection(Self.bruteForce(data, q, k: 10)).count
        }
        #expect(recall >= 80)
    }

    @Test("the AVX2 scan scores as the baseline one does", arguments: [VectorIndex.Storage.float32, .int8])
    func kernelPathsAgree(storage: VectorIndex.Storage) throws {
        guard KernelPath.avx2.isAvailable else { return }
        let data = Self.vectors(1500, dims: 383, seed: 21) // an odd width runs every tail of the scan
        var base = VectorIndex(dimensions: 383, storage: storage, threads: 2, kernelPath: .baseline)
        var fast = VectorIndex(dimensions: 383, storage: storage, threads: 2, kernelPath: .avx2)
        for (i, v) in data.enumerated() { try base.add(id: Int64(i), vector: v); try fast.add(id: Int64(i), vector: v) }
        for q in Self.vectors(4, dims: 383, seed: 3) {
            let a = try base.search(q, k: 1500), b = try fast.search(q, k: 1500)
            let scores = Dictionary(uniqueKeysWithValues: a.map { ($0.id, $0.score) })
            #expect(b.count == 1500)
            for hit in b { #expect(abs(hit.score - (scores[hit.id] ?? 9)) < 1e-5) }
        }
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
