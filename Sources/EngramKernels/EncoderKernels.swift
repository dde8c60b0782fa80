/// The operations of a BERT forward pass, compiled for one instruction set. `BaselineKernels` runs everywhere;
/// `EngramKernelsAVX2` adds an AVX2 + FMA set, `EngramKernelsAVX512` an AVX-512 one. Static-only: callers pass the metatype.
package protocol EncoderKernels: Sendable {
    /// Short name for reports and logs, e.g. "baseline" or "avx2".
    static var name: String { get }

    /// `out[rows × n] = x[rows × k] · W + bias` (`+ out` with `accumulate`), split across up to `threads` workers.
    static func gemm(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, weights: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, threads: Int)

    /// In-place layer norm of `rows` rows of `width` floats.
    static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float)

    /// In-place exact GELU over `count` floats.
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, threads: Int)

    /// In-place softmax of each row of `x * scale`.
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, scale: Float)

    /// Self-attention of packed sequences: `qkv` rows are query | key | value, `ctx` rows receive `hidden` floats.
    static func attention(
        qkv: UnsafePointer<Float>, ctx: UnsafeMutablePointer<Float>, sequences: [Range<Int>],
        heads: Int, hidden: Int, threads: Int)
}
