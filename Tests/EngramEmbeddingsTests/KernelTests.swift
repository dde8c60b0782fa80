import Foundation
import Testing
@testable import EngramEmbeddings

@Suite("SIMD kernels")
struct KernelTests {
    static func randomMatrix(_ n: Int, seed: UInt64) -> [Float] {
        var rng = seed
        return (0..<n).map { _ in
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Float(rng >> 40) / Float(1 << 24) * 2 - 1
        }
    }

    @Test("blocked GEMM equals a naive triple loop", arguments: [
        (1, 1, 1), (3, 5, 7), (4, 16, 16), (5, 17, 33), (13, 64, 80), (37, 96, 130), (128, 384, 64),
    ])
    func gemmMatchesNaive(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        let x = Self.randomMatrix(m * k, seed: 1), w = Self.randomMatrix(k * n, seed: 2), b = Self.randomMatrix(n, seed: 3)
        var out = [Float](repeating: .nan, count: m * n)
        for threads in [1, 2] {
            x.withUnsafeBufferPointer { px in w.withUnsafeBufferPointer { pw in b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    Kernels.gemm(x: px.baseAddress!, ldx: k, m: m, k: k, w: pw.baseAddress!, ldw: n, n: n,
                                 bias: pb.baseAddress!, out: po.baseAddress!, ldo: n, threads: threads)
                }
            } } }
            var maxErr: Float = 0
            for i in 0..<m {
                for j in 0..<n {
                    var s = Double(b[j])
                    for p in 0..<k { s += Double(x[i * k + p]) * Double(w[p * n + j]) }
                    maxErr = max(maxErr, abs(Float(s) - out[i * n + j]))
                }
            }
            #expect(maxErr < 1e-4, "m=\(m) k=\(k) n=\(n) threads=\(threads): max error \(maxErr)")
        }
    }

    @Test("vector erf and exp match libm")
    func erfAndExp() {
        var maxErf: Float = 0, maxExpRel: Float = 0
        var x: Float = -6
        while x <= 6 {
            let v = SIMD8<Float>(repeating: x)
            maxErf = max(maxErf, abs(Kernels.erf8(v)[0] - Foundation.erf(x)))
            let e = Kernels.exp8(v * 10)[0], ref = Foundation.exp(x * 10)
            maxExpRel = max(maxExpRel, abs(e - ref) / ref)
            x += 0.01
        }
        #expect(maxErf < 5e-7)
        #expect(maxExpRel < 1e-6)
    }

    @Test("softmax rows sum to one and survive large scores")
    func softmax() {
        var row: [Float] = [1000, 999, -1000, 0, 5, 5, 5, 5, 5, 3]
        row.withUnsafeMutableBufferPointer { Kernels.softmaxRows($0.baseAddress!, rows: 1, n: 10, scale: 1) }
        #expect(abs(row.reduce(0, +) - 1) < 1e-5)
        #expect(row.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(abs(row[0] / row[1] - Foundation.exp(1)) < 1e-3)
    }

    @Test("layer norm gives zero mean and unit variance before the affine part")
    func layerNorm() {
        var x = Self.randomMatrix(3 * 20, seed: 9).map { $0 * 10 + 3 }
        let g = [Float](repeating: 1, count: 20), b = [Float](repeating: 0, count: 20)
        x.withUnsafeMutableBufferPointer { px in
            Kernels.layerNorm(px.baseAddress!, rows: 3, n: 20, gamma: g, beta: b, eps: 1e-12)
        }
        for r in 0..<3 {
            let row = x[(r * 20)..<(r * 20 + 20)]
            let mean = row.reduce(0, +) / 20
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-4)
        }
    }
}
