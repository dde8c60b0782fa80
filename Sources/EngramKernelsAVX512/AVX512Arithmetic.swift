import EngramKernels

#if ENGRAM_AVX512 && arch(x86_64)
    /// Fused multiply-add for the SIMD8 kernels (layer norm, softmax, GELU) compiled with this module's AVX-512 flags,
    /// and the module's own 12 × 32 micro-kernel for the GEMMs inside attention. Declared here, not in EngramKernels, so
    /// every kernel specialised on it is a distinct symbol compiled with AVX-512 code generation.
    enum AVX512Arithmetic: KernelArithmetic {
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
            AVX512GEMM.panelRange(x: x, ldx: ldx, rows: rows, weights: weights, out: out, ldo: ldo, accumulate: accumulate, panels: panels)
        }
    }
#endif
