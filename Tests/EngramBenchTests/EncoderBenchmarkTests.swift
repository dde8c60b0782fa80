import EngramEmbeddings
import EngramTestSupport
import Foundation
import Testing

@testable import engram_bench

@Suite("EncoderBenchmark")
struct EncoderBenchmarkTests {
    @Test("builds inputs of the requested length and reports every size")
    func smoke() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-tinybert-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        _ = try TinyBertModel.write(
            to: dir,
            vocab: [
                "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "memory", "system",
                "remembers", "what", "agent", "did", "and", "why",
            ], maxSeqLength: 24, lowerCase: true)
        let bench = EncoderBenchmark(encoder: try BertEncoder(directory: dir), tokenCounts: [8, 16, 100], repetitions: 2, batchSize: 4)
        #expect(bench.tokenIDs(count: 16).count == 16)
        #expect(bench.tokenIDs(count: 100).count == 24)
        // Built from vocabulary words, not unknown-token padding.
        #expect(!bench.tokenIDs(count: 16).dropFirst().dropLast().contains(bench.encoder.tokenizer.unkID))
        let report = bench.run()
        #expect(report.latencies.map(\.tokens) == [8, 16, 24])
        #expect(report.textsPerSecond > 0)
    }
}
