import Foundation
import Testing
@testable import EngramEmbeddings

@Suite("EncoderBenchmark")
struct BenchmarkTests {
    @Test("builds inputs of the requested length and reports every size")
    func smoke() throws {
        let tiny = try TinyBert(maxSeqLength: 24)
        defer { tiny.remove() }
        let bench = EncoderBenchmark(encoder: try BertEncoder(directory: tiny.directory), tokenCounts: [8, 16, 100], repetitions: 2, batchSize: 4)
        #expect(bench.tokenIDs(count: 16).count == 16)
        #expect(bench.tokenIDs(count: 100).count == 24)
        let report = bench.run()
        #expect(report.latencies.map(\.tokens) == [8, 16, 24])
        #expect(report.textsPerSecond > 0)
        if let dir = ProcessInfo.processInfo.environment["ENGRAM_BENCH_MODEL_DIR"] {
            // Opt-in: prints real-model numbers (not asserted; speed belongs in benchmarks).
            let real = EncoderBenchmark(encoder: try BertEncoder(directory: URL(fileURLWithPath: dir)), repetitions: 5).run()
            print("bench:", real)
        }
    }
}
