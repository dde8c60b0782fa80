import EngramEmbeddings
import Foundation

/// Measures a `BertEncoder`: single-text latency at fixed token counts and batch throughput. Used by engram-bench.
struct EncoderBenchmark: Sendable {
    struct Latency: Sendable, Codable, Equatable {
        public let tokens: Int
        public let p50Milliseconds: Double
        public let minMilliseconds: Double
    }

    struct Report: Sendable, Codable, Equatable {
        public let modelID: String
        public let threads: Int
        /// Which compiled kernels ran (baseline, avx2 or avx512).
        public let kernelPath: KernelPath
        public let latencies: [Latency]
        public let textsPerSecond: Double
        public let batchSize: Int
    }

    let encoder: BertEncoder
    let tokenCounts: [Int]
    let repetitions: Int
    let batchSize: Int

    init(encoder: BertEncoder, tokenCounts: [Int] = [16, 128, 256], repetitions: Int = 10, batchSize: Int = 32) {
        self.encoder = encoder
        self.tokenCounts = tokenCounts
        self.repetitions = max(1, repetitions)
        self.batchSize = max(1, batchSize)
    }

    /// Token ids of exactly `count` tokens ([CLS] … [SEP]), built from ordinary vocabulary words.
    func tokenIDs(count: Int) -> [Int32] {
        let filler = encoder.tokenizer.encode("the memory system remembers what the agent did and why")
        let body = Array(filler.dropFirst().dropLast())
        var ids: [Int32] = [encoder.tokenizer.clsID]
        var i = 0
        while ids.count < max(2, min(count, encoder.maxSequenceLength)) - 1 {
            ids.append(body.isEmpty ? encoder.tokenizer.unkID : body[i % body.count])
            i += 1
        }
        ids.append(encoder.tokenizer.sepID)
        return ids
    }

    /// Runs the measurements (one warm-up each) and returns the report.
    func run() -> Report {
        var latencies: [Latency] = []
        for count in tokenCounts {
            let ids = tokenIDs(count: count)
            _ = encoder.encode(tokenIDs: [ids])
            var times: [Double] = []
            for _ in 0..<repetitions {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = encoder.encode(tokenIDs: [ids])
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            times.sort()
            latencies.append(Latency(tokens: ids.count, p50Milliseconds: times[times.count / 2], minMilliseconds: times[0]))
        }
        let batch = (0..<batchSize).map { tokenIDs(count: [16, 32, 64, 128][$0 % 4]) }
        let start = DispatchTime.now().uptimeNanoseconds
        _ = encoder.encode(tokenIDs: batch)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Report(
            modelID: encoder.modelID, threads: encoder.threads, kernelPath: encoder.kernelPath, latencies: latencies,
            textsPerSecond: Double(batchSize) / max(seconds, 1e-9), batchSize: batchSize)
    }
}
