import EngramKernels

/// The kernels compiled with AVX-512 (F, BW, DQ, VL) + FMA code generation (Package.swift passes the flags and
/// defines `ENGRAM_AVX512` for this module on x86-64 Linux). Only call them after checking the CPU has those
/// features: `isCompiled` says whether this build carries them at all.
package enum AVX512Kernels: EncoderKernels {
    #if ENGRAM_AVX512 && arch(x86_64)
        /// True: this module was compiled for AVX-512.
        package static let isCompiled = true
    #else
        /// False: this build has no AVX-512 code (another architecture or OS); the methods run baseline code.
        package static let isCompiled = false
    #endif

    package static var name: String { "avx512" }

    package static func gemm(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, weights: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, threads: Int
    ) {
        #if ENGRAM_AVX512 && arch(x86_64)
            AVX512GEMM.run(x: x, ldx: ldx, rows: rows, weights: weights, out: out, ldo: ldo, accumulate: accumulate, threads: threads)
        #else
            BaselineKernels.gemm(x: x, ldx: ldx, rows: rows, weights: weights, out: out, ldo: ldo, accumulate: accumulate, threads: threads)
        #endif
    }

    package static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float
    ) {
        #if ENGRAM_AVX512 && arch(x86_64)
            Elementwise<AVX512Arithmetic>.layerNorm(x, rows: rows, width: width, gamma: gamma, beta: beta, eps: eps)
        #else
            BaselineKernels.layerNorm(x, rows: rows, width: width, gamma: gamma, beta: beta, eps: eps)
        #endif
    }

    package static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        #if ENGRAM_AVX512 && arch(x86_64)
            AVX512Elementwise.gelu(x, count: count, threads: threads)
        #else
            BaselineKernels.gelu(x, count: count, threads: threads)
        #endif
    }

    package static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: Float) {
        #if ENGRAM_AVX512 && arch(x86_64)
            Elementwise<AVX512Arithmetic>.softmaxRows(x, rows: rows, width: width, scale: scale)
        #else
            BaselineKernels.softmaxRows(x, rows: rows, width: width, scale: scale)
        #endif
    }

    package static func attention(
        qkv: UnsafePointer<Float>, ctx: UnsafeMutablePointer<Float>, sequences: [Range<Int>],
        heads: Int, hidden: Int, threads: Int
    ) {
        #if ENGRAM_AVX512 && arch(x86_64)
            Attention<AVX512Arithmetic>.run(qkv: qkv, ctx: ctx, sequences: sequences, heads: heads, hidden: hidden, threads: threads)
        #else
            BaselineKernels.attention(qkv: qkv, ctx: ctx, sequences: sequences, heads: heads, hidden: hidden, threads: threads)
        #endif
    }
}
