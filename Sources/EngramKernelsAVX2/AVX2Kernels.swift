import EngramKernels

/// The kernels compiled with AVX2 + FMA code generation (Package.swift passes `-mavx2 -mfma` and defines
/// `ENGRAM_AVX2` for this module on x86-64 Linux). Only call them after checking the CPU has both features:
/// `isCompiled` says whether this build carries them at all.
package enum AVX2Kernels: EncoderKernels {
    #if ENGRAM_AVX2 && arch(x86_64)
        /// True: this module was compiled for AVX2 + FMA.
        package static let isCompiled = true
        typealias Arithmetic = FusedArithmetic
    #else
        /// False: this build has no AVX2 code (another architecture or OS); the methods run baseline code.
        package static let isCompiled = false
        typealias Arithmetic = PlainArithmetic
    #endif

    package static var name: String { "avx2" }

    package static func gemm(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, weights: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, threads: Int
    ) {
        GEMM<Arithmetic>.run(
            x: x, ldx: ldx, rows: rows, weights: weights, out: out, ldo: ldo,
            accumulate: accumulate, threads: threads)
    }

    package static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float
    ) {
        Elementwise<Arithmetic>.layerNorm(x, rows: rows, width: width, gamma: gamma, beta: beta, eps: eps)
    }

    package static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        Elementwise<Arithmetic>.gelu(x, count: count, threads: threads)
    }

    package static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: Float) {
        Elementwise<Arithmetic>.softmaxRows(x, rows: rows, width: width, scale: scale)
    }

    package static func attention(
        qkv: UnsafePointer<Float>, ctx: UnsafeMutablePointer<Float>, sequences: [Range<Int>],
        heads: Int, hidden: Int, threads: Int
    ) {
        Attention<Arithmetic>.run(qkv: qkv, ctx: ctx, sequences: sequences, heads: heads, hidden: hidden, threads: threads)
    }
}
