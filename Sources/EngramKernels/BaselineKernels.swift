/// The kernels compiled for the package's baseline target (x86-64 with SSE2, or arm64 with NEON),
/// with separate multiply and add.
package enum BaselineKernels: EncoderKernels {
    package static var name: String { "baseline" }

    package static func gemm(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, weights: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, threads: Int
    ) {
        GEMM<PlainArithmetic>.run(
            x: x, ldx: ldx, rows: rows, weights: weights, out: out, ldo: ldo,
            accumulate: accumulate, threads: threads)
    }

    package static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float
    ) {
        Elementwise<PlainArithmetic>.layerNorm(x, rows: rows, width: width, gamma: gamma, beta: beta, eps: eps)
    }

    package static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        Elementwise<PlainArithmetic>.gelu(x, count: count, threads: threads)
    }

    package static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: Float) {
        Elementwise<PlainArithmetic>.softmaxRows(x, rows: rows, width: width, scale: scale)
    }

    package static func attention(
        qkv: UnsafePointer<Float>, ctx: UnsafeMutablePointer<Float>, sequences: [Range<Int>],
        heads: Int, hidden: Int, threads: Int
    ) {
        Attention<PlainArithmetic>.run(qkv: qkv, ctx: ctx, sequences: sequences, heads: heads, hidden: hidden, threads: threads)
    }
}
