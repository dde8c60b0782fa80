import EngramKernels
import Foundation
import Testing

@testable import EngramEmbeddings

/// Every compiled kernel set the CPU can run (baseline always; AVX2 + FMA when available) against plain
/// double-precision references.
@Suite("SIMD kernels")
struct KernelTests {
    static func randomMatrix(_ n: Int, seed: UInt64) -> [Float] {
        var rng = seed
        return (0..<n).map { _ in
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(rng >> 40) / Float(1 << 24) * 2 - 1
        }
    }

    struct Shape: Sendable, CustomTestStringConvertible {
        let m: Int, k: Int, n: Int
        var testDescription: String { "\(m)×\(k)·\(k)×\(n)" }
    }

    /// Odd sizes hit every edge: partial micro-tiles in rows and columns, several depth blocks (k > 384),
    /// more panels than threads and fewer.
    static let shapes: [Shape] = [
        Shape(m: 1, k: 1, n: 1), Shape(m: 7, k: 7, n: 7), Shape(m: 1, k: 33, n: 17), Shape(m: 33, k: 7, n: 1),
        Shape(m: 5, k: 17, n: 33), Shape(m: 13, k: 64, n: 80), Shape(m: 37, k: 96, n: 130),
        Shape(m: 128, k: 384, n: 64), Shape(m: 9, k: 384, n: 1536), Shape(m: 7, k: 1536, n: 384), Shape(m: 6, k: 385, n: 16),
    ]

    @Test(
        "GEMM equals a naive triple loop (bias, accumulate, strides, 1 and 2 threads)",
        arguments: KernelPath.available, shapes)
    func gemmMatchesNaive(path: KernelPath, shape: Shape) {
        let (m, k, n) = (shape.m, shape.k, shape.n)
        let ldx = k + 3, ldo = n + 5
        let x = Self.randomMatrix(m * ldx, seed: 1)
        let weight = Self.randomMatrix(n * k, seed: 2) // PyTorch layout: n × k
        let bias = Self.randomMatrix(n, seed: 3)
        let prior = Self.randomMatrix(m * ldo, seed: 4)
        let packed = PackedMatrix.linear(weight: weight, bias: bias, outputs: n, inputs: k)
        for accumulate in [false, true] {
            for threads in [1, 2] {
                var out = accumulate ? prior : [Float](repeating: .nan, count: m * ldo)
                x.withUnsafeBufferPointer { px in
                    out.withUnsafeMutableBufferPointer { po in
                        path.kernels.gemm(
                            x: px.baseAddress!, ldx: ldx, rows: m, weights: packed.panels,
                            out: po.baseAddress!, ldo: ldo, accumulate: accumulate, threads: threads)
                    }
                }
                var maxErr: Double = 0
                for i in 0..<m {
                    for j in 0..<n {
                        var s = Double(bias[j]) + (accumulate ? Double(prior[i * ldo + j]) : 0)
                        for p in 0..<k { s += Double(x[i * ldx + p]) * Double(weight[j * k + p]) }
                        maxErr = max(maxErr, abs(s - Double(out[i * ldo + j])))
                    }
                }
                // Padding between rows (ldo > n) is never written.
                let padding = (0..<m).flatMap { i in (n..<ldo).map { out[i * ldo + $0] } }
                let paddingIntact =
                    accumulate
                    ? padding == (0..<m).flatMap { i in (n..<ldo).map { prior[i * ldo + $0] } }
                    : padding.allSatisfy(\.isNaN)
                #expect(
                    maxErr < 2e-6 * Double(k).squareRoot() + 1e-6,
                    "\(path) \(shape.testDescription) accumulate=\(accumulate) threads=\(threads): max error \(maxErr)")
                #expect(paddingIntact, "\(path) \(shape.testDescription): wrote outside the output columns")
            }
        }
    }

    @Test("GEMM without bias", arguments: KernelPath.available)
    func gemmWithoutBias(path: KernelPath) {
        let (m, k, n) = (11, 40, 21)
        let x = Self.randomMatrix(m * k, seed: 5), w = Self.randomMatrix(k * n, seed: 6) // row-major k × n
        let packed = w.withUnsafeBufferPointer {
            PackedMatrix(k: k, n: n, source: $0.baseAddress!, rowStride: n, columnStride: 1)
        }
        var out = [Float](repeating: .nan, count: m * n)
        x.withUnsafeBufferPointer { px in
            out.withUnsafeMutableBufferPointer { po in
                path.kernels.gemm(
                    x: px.baseAddress!, ldx: k, rows: m, weights: packed.panels, out: po.baseAddress!,
                    ldo: n, accumulate: false, threads: 2)
            }
        }
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += Double(x[i * k + p]) * Double(w[p * n + j]) }
                #expect(abs(s - Double(out[i * n + j])) < 1e-5)
            }
        }
    }

    @Test("exact GELU matches 0.5·x·(1 + erf(x/√2)) from libm", arguments: KernelPath.available)
    func gelu(path: KernelPath) {
        // 1601 values: not a multiple of 8, so the partial-vector tail runs too.
        var values = (0...1600).map { Float($0) / 100 - 8 }
        let reference = values.map { 0.5 * Double($0) * (1 + Foundation.erf(Double($0) / 2.0.squareRoot())) }
        values.withUnsafeMutableBufferPointer { path.kernels.gelu($0.baseAddress!, count: $0.count, threads: 2) }
        var worst: Double = 0
        for (v, r) in zip(values, reference) { worst = max(worst, abs(Double(v) - r) / max(1, abs(r))) }
        #expect(worst < 1e-6, "\(path): worst error \(worst)")
    }

    @Test(
        "softmax rows match a double-precision softmax, survive large scores, sum to one",
        arguments: KernelPath.available, [1, 7, 10, 33])
    func softmax(path: KernelPath, width: Int) {
        let rows = 3, scale: Float = 0.7
        var x = Self.randomMatrix(rows * width, seed: 9).map { $0 * 30 }
        x[0] = 1000 // one huge score: naive exp would overflow
        let input = x
        x.withUnsafeMutableBufferPointer { path.kernels.softmaxRows($0.baseAddress!, rows: rows, width: width, scale: scale) }
        for r in 0..<rows {
            let row = input[(r * width)..<((r + 1) * width)].map { Double($0) * Double(scale) }
            let top = row.max() ?? 0
            let e = row.map { Foundation.exp($0 - top) }
            let sum = e.reduce(0, +)
            for j in 0..<width {
                let got = Double(x[r * width + j]), want = e[j] / sum
                #expect(abs(got - want) <= 1e-6 + 1e-5 * want, "\(path) row \(r) col \(j): \(got) vs \(want)")
            }
            #expect(abs(x[(r * width)..<((r + 1) * width)].reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test("layer norm matches a double-precision reference", arguments: KernelPath.available, [20, 384])
    func layerNorm(path: KernelPath, width: Int) {
        let rows = 3
        var x = Self.randomMatrix(rows * width, seed: 9).map { $0 * 10 + 3 }
        let gamma = Self.randomMatrix(width, seed: 10).map { 1 + $0 / 4 }, beta = Self.randomMatrix(width, seed: 11)
        let input = x
        x.withUnsafeMutableBufferPointer { px in
            path.kernels.layerNorm(px.baseAddress!, rows: rows, width: width, gamma: gamma, beta: beta, eps: 1e-12)
        }
        for r in 0..<rows {
            let row = input[(r * width)..<((r + 1) * width)].map(Double.init)
            let mean = row.reduce(0, +) / Double(width)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for j in 0..<width {
                let want = (row[j] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[j]) + Double(beta[j])
                #expect(abs(Double(x[r * width + j]) - want) < 1e-5, "\(path) row \(r) col \(j)")
            }
        }
    }

    @Test(
        "attention over packed sequences equals a per-head scalar implementation",
        arguments: KernelPath.available, [1, 2])
    func attention(path: KernelPath, threads: Int) {
        let hidden = 32, heads = 4, d = hidden / heads
        // Lengths straddle the 16-column panels; the empty sequence must be skipped.
        let lengths = [5, 0, 19, 40]
        var sequences: [Range<Int>] = []
        var total = 0
        for len in lengths { sequences.append(total..<(total + len)); total += len }
        let qkv = Self.randomMatrix(total * 3 * hidden, seed: 12).map { $0 * 2 }
        var ctx = [Float](repeating: .nan, count: total * hidden)
        qkv.withUnsafeBufferPointer { pq in
            ctx.withUnsafeMutableBufferPointer { pc in
                path.kernels.attention(
                    qkv: pq.baseAddress!, ctx: pc.baseAddress!, sequences: sequences,
                    heads: heads, hidden: hidden, threads: threads)
            }
        }
        var maxErr: Double = 0
        for rows in sequences {
            for hd in 0..<heads {
                for i in rows {
                    let scores = rows.map { t -> Double in
                        var s = 0.0
                        for c in 0..<d { s += Double(qkv[i * 3 * hidden + hd * d + c]) * Double(qkv[t * 3 * hidden + hidden + hd * d + c]) }
                        return s / Double(d).squareRoot()
                    }
                    let top = scores.max() ?? 0
                    let e = scores.map { Foundation.exp($0 - top) }
                    let sum = e.reduce(0, +)
                    for c in 0..<d {
                        var v = 0.0
                        for (n, t) in rows.enumerated() { v += e[n] / sum * Double(qkv[t * 3 * hidden + 2 * hidden + hd * d + c]) }
                        maxErr = max(maxErr, abs(v - Double(ctx[i * hidden + hd * d + c])))
                    }
                }
            }
        }
        #expect(maxErr < 1e-5, "\(path) threads=\(threads): max error \(maxErr)")
    }
}
