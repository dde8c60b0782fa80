import EngramKernels

#if ENGRAM_AVX2 && arch(x86_64)
    /// Fused multiply-add (one `vfmadd` per SIMD8 with `-mfma`) and six-row GEMM tiles for the 16 ymm registers.
    /// Declared here, not in EngramKernels, so every kernel specialised on it is a distinct symbol compiled with this
    /// module's AVX2 flags.
    enum FusedArithmetic: KernelArithmetic {
        @inline(__always)
        static func multiplyAdd(_ c: SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
            c.addingProduct(a, b)
        }

        @inline(__always)
        static var tileRows: Int { 6 }

        static func panelProduct(
            x: UnsafePointer<Float>, ldx: Int, rows: Int, weights: PanelMatrix,
            out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, panels: Range<Int>
        ) {
            GEMM<Self>.panelRange(x: x, ldx: ldx, rows: rows, weights: weights, out: out, ldo: ldo, accumulate: accumulate, panels: panels)
        }
    }
#endif
