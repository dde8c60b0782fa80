import EngramKernels
import EngramKernelsAVX2
import EngramKernelsAVX512
import Foundation
import Testing

@testable import EngramEmbeddings

/// Each vectorised path against the slower ones, kernel by kernel and on whole models: the paths round
/// differently (fused multiply-adds, other summation orders), so they agree to a tolerance, not bit for bit.
/// A path this CPU or build lacks is reported as skipped with its reason, never passed.
@Suite("Kernel paths agree")
struct KernelAgreementTests {
    /// Outputs of every kernel of `path` on fixed inputs, concatenated per kernel.
    static func outputs(_ path: KernelPath) -> [String: [Float]] {
        let kernels = path.kernels
        var result: [String: [Float]] = [:]
        // GEMM shapes: partial tiles in rows and columns, an odd panel count, several depth blocks, 1 and 2 threads.
        for (m, k, n) in [(1, 33, 17), (13, 64, 80), (37, 96, 130), (16, 384, 1152), (9, 1536, 384), (128, 385, 48)] {
            let x = KernelTests.randomMatrix(m * k, seed: 1), w = KernelTests.randomMatrix(n * k, seed: 2)
            let bias = KernelTests.randomMatrix(n, seed: 3), prior = KernelTests.randomMatrix(m * n, seed: 4)
            let packed = PackedMatrix.linear(weight: w, bias: bias, outputs: n, inputs: k)
            for threads in [1, 2] {
                var out = prior
                x.withUnsafeBufferPointer { px in
                    out.withUnsafeMutableBufferPointer { po in
                        kernels.gemm(
                            x: px.baseAddress!, ldx: k, rows: m, weights: packed.panels, out: po.baseAddress!,
                            ldo: n, accumulate: true, threads: threads)
                    }
                }
                result["gemm \(m)×\(k)·\(k)×\(n) threads=\(threads)"] = out
            }
        }
        var g = (0..<1601).map { Float($0) / 100 - 8 }
        g.withUnsafeMutableBufferPointer { kernels.gelu($0.baseAddress!, count: $0.count, threads: 2) }
        result["gelu"] = g
        var ln = KernelTests.randomMatrix(5 * 384, seed: 9).map { $0 * 10 + 3 }
        let gamma = KernelTests.randomMatrix(384, seed: 10), beta = KernelTests.randomMatrix(384, seed: 11)
        ln.withUnsafeMutableBufferPointer {
            kernels.layerNorm($0.baseAddress!, rows: 5, width: 384, gamma: gamma, beta: beta, eps: 1e-12)
        }
        result["layerNorm"] = ln
        var sm = KernelTests.randomMatrix(3 * 37, seed: 12).map { $0 * 20 }
        sm.withUnsafeMutableBufferPointer { kernels.softmaxRows($0.baseAddress!, rows: 3, width: 37, scale: 0.3) }
        result["softmax"] = sm
        let hidden = 384, heads = 12
        let sequences = [0..<7, 7..<7, 7..<135, 135..<158]
        let qkv = KernelTests.randomMatrix(158 * 3 * hidden, seed: 13)
        for threads in [1, 2] {
            var ctx = [Float](repeating: .nan, count: 158 * hidden)
            qkv.withUnsafeBufferPointer { pq in
                ctx.withUnsafeMutableBufferPointer { pc in
                    kernels.attention(
                        qkv: pq.baseAddress!, ctx: pc.baseAddress!, sequences: sequences, heads: heads,
                        hidden: hidden, threads: threads)
                }
            }
            result["attention threads=\(threads)"] = ctx
        }
        // The vector scan: an odd width runs every tail.
        let d = 383, rows = 300
        let stored = KernelTests.randomMatrix(rows * d, seed: 14), query = KernelTests.randomMatrix(d, seed: 15)
        let bytes = KernelTests.randomMatrix(rows * d, seed: 16).map { Int8(($0 * 127).rounded()) }
        let scales = KernelTests.randomMatrix(rows, seed: 17).map { abs($0) / 127 }
        var f32 = [Float](repeating: .nan, count: rows), i8 = f32
        stored.withUnsafeBufferPointer { ps in
            query.withUnsafeBufferPointer { pq in
                f32.withUnsafeMutableBufferPointer { po in
                    switch path {
                    case .baseline:
                        BaselineVectorScan.float32(
                            rows: ps.baseAddress!, dimensions: d, query: pq.baseAddress!, range: 0..<rows, scores: po.baseAddress!)
                    case .avx2:
                        AVX2VectorScan.float32(rows: ps.baseAddress!, dimensions: d, query: pq.baseAddress!, range: 0..<rows, scores: po.baseAddress!)
                    case .avx512:
                        AVX512VectorScan.float32(
                            rows: ps.baseAddress!, dimensions: d, query: pq.baseAddress!, range: 0..<rows, scores: po.baseAddress!)
                    }
                }
                bytes.withUnsafeBufferPointer { pb in
                    i8.withUnsafeMutableBufferPointer { po in
                        switch path {
                        case .baseline:
                            BaselineVectorScan.int8(
                                rows: pb.baseAddress!, scales: scales, dimensions: d, query: pq.baseAddress!, range: 0..<rows, scores: po.baseAddress!
                            )
                        case .avx2:
                            AVX2VectorScan.int8(
                                rows: pb.baseAddress!, scales: scales, dimensions: d, query: pq.baseAddress!, range: 0..<rows, scores: po.baseAddress!
                            )
                        case .avx512:
                            AVX512VectorScan.int8(
                                rows: pb.baseAddress!, scales: scales, dimensions: d, query: pq.baseAddress!, range: 0..<rows, scores: po.baseAddress!
                            )
                        }
                    }
                }
            }
        }
        result["scan float32"] = f32
        result["scan int8"] = i8
        return result
    }

    /// Every kernel's output of `path` within a few float32 roundings of `reference`'s (relative to the values'
    /// magnitude: a GEMM over k = 1536 sums terms of size ~1).
    static func expectAgreement(_ path: KernelPath, with reference: KernelPath) {
        let a = outputs(reference), b = outputs(path)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, want) in a.sorted(by: { $0.key < $1.key }) {
            let got = b[name] ?? []
            #expect(got.count == want.count, "\(path) \(name)")
            let scale = max(1, want.map { abs($0) }.max() ?? 1)
            let worst = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 2e-5 * scale, "\(path) vs \(reference), \(name): max difference \(worst) (scale \(scale))")
            #expect(got.allSatisfy { $0.isFinite }, "\(path) \(name): non-finite output")
        }
    }

    @Test(
        "AVX2: every kernel agrees with the baseline",
        .enabled(if: KernelPath.avx2.isAvailable, "skipped: \(KernelPath.avx2.unavailableReason ?? "")"))
    func avx2Kernels() {
        Self.expectAgreement(.avx2, with: .baseline)
    }

    @Test(
        "AVX-512: every kernel agrees with the baseline and with AVX2",
        .enabled(if: KernelPath.avx512.isAvailable, "skipped: \(KernelPath.avx512.unavailableReason ?? "")"))
    func avx512Kernels() {
        Self.expectAgreement(.avx512, with: .baseline)
        // Every CPU with the AVX-512 path has the AVX2 one (hasAVX512 requires AVX2 and FMA).
        #expect(KernelPath.avx2.isAvailable)
        Self.expectAgreement(.avx512, with: .avx2)
    }

    static let tinyTexts = ["the quick brown fox", String(repeating: "hello world ", count: 10), "def x ( ) : y = 1", ""]

    static func expectSameVectors(_ paths: [KernelPath], threads: Int) throws {
        let tiny = try TinyBert(hidden: 64, heads: 4, intermediate: 128)
        defer { tiny.remove() }
        let encoders = try paths.map { try BertEncoder(directory: tiny.directory, threads: threads, kernelPath: $0) }
        #expect(encoders.map(\.kernelPath) == paths)
        let vectors = encoders.map { $0.embedSync(Self.tinyTexts, kind: .document) }
        for (path, got) in zip(paths.dropFirst(), vectors.dropFirst()) {
            for (text, (x, y)) in zip(Self.tinyTexts, zip(vectors[0], got)) {
                #expect(TestSupport.cosine(x, y) >= 0.99999, "\(path) '\(text)': cosine \(TestSupport.cosine(x, y))")
                #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-4 }, "\(path) '\(text)'")
            }
        }
    }

    @Test(
        "tiny random BERT: AVX2 gives the baseline's vectors",
        .enabled(if: KernelPath.avx2.isAvailable, "skipped: \(KernelPath.avx2.unavailableReason ?? "")"), arguments: [1, 2])
    func tinyAVX2(threads: Int) throws {
        try Self.expectSameVectors([.baseline, .avx2], threads: threads)
    }

    @Test(
        "tiny random BERT: AVX-512 gives the baseline's and AVX2's vectors",
        .enabled(if: KernelPath.avx512.isAvailable, "skipped: \(KernelPath.avx512.unavailableReason ?? "")"), arguments: [1, 2])
    func tinyAVX512(threads: Int) throws {
        try Self.expectSameVectors([.baseline, .avx2, .avx512], threads: threads)
    }

    @Test(
        "real all-MiniLM-L6-v2: every available path gives the baseline's vectors",
        .enabled(if: TestSupport.realModelDirectory != nil, "real model weights not found: set ENGRAM_TEST_MODEL_DIR"),
        .enabled(if: KernelPath.available.count > 1, "skipped: only the baseline path runs here"))
    func realModel() throws {
        let dir = try #require(TestSupport.realModelDirectory)
        let texts = [
            "how does the worker restart after a crash?",
            String(repeating: "the memory system remembers what the agent did and why ", count: 30),
            "func embed(_ texts: [String]) async throws -> [[Float]]",
        ]
        let base = try BertEncoder(directory: dir, kernelPath: .baseline).embedSync(texts, kind: .document)
        for path in KernelPath.available.dropFirst() {
            let got = try BertEncoder(directory: dir, kernelPath: path).embedSync(texts, kind: .document)
            for (x, y) in zip(base, got) {
                #expect(TestSupport.cosine(x, y) >= 0.99999, "\(path): cosine \(TestSupport.cosine(x, y))")
            }
        }
    }
}
