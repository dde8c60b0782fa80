/// How a kernel multiplies and adds SIMD vectors, and how many rows its GEMM micro-tile covers.
///
/// The kernels in this module are `@inlinable` and generic over this protocol, so each module that picks a
/// conformance compiles its own copy with its own code-generation flags: `PlainArithmetic` here (baseline x86-64
/// or arm64), a fused multiply-add conformance in the AVX2 module. Conformances must be declared in the module that
/// uses them, so that their specialisations get distinct symbol names and the linker never merges an AVX2 copy
/// into the baseline path.
package protocol KernelArithmetic: Sendable {
    /// `c + a * b`, lane-wise.
    static func multiplyAdd(_ c: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
    /// Rows per GEMM micro-tile, 4 or 6: six rows of two SIMD8 accumulators need 16 vector registers (AVX2 has 16
    /// 256-bit ones); four rows suit 128-bit SSE and NEON.
    static var tileRows: Int { get }
    /// One worker's share of a GEMM: all rows, the columns of `panels` (see `GEMM.panelRange`). Attention calls it
    /// directly, so a module with a wider micro-kernel (AVX-512) uses it there too. SIMD8 conformances forward to
    /// `GEMM<Self>.panelRange`.
    static func panelProduct(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, weights: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, panels: Range<Int>)
}

/// Separate multiply and add: without hardware FMA, `addingProduct` would be a libm call per lane.
package enum PlainArithmetic: KernelArithmetic {
    @inlinable @inline(__always)
    package static func multiplyAdd(_ c: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        c + a * b
    }

    @inlinable @inline(__always)
    package static var tileRows: Int { 4 }

    @inlinable
    package static func panelProduct(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, weights: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, panels: Range<Int>
    ) {
        GEMM<Self>.panelRange(x: x, ldx: ldx, rows: rows, weights: weights, out: out, ldo: ldo, accumulate: accumulate, panels: panels)
    }
}
