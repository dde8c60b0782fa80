import EngramKernels

/// The vector index's scan with AVX-512 (call only where `AVX512Kernels.isCompiled` and the CPU has AVX-512).
/// float32 rows on 16 lanes: a 384-dimension row is 24 zmm multiply-adds over four accumulators. Byte rows use the
/// shared SIMD8 kernel compiled with this module's flags: the standard library's SIMD16 int8 → float conversions are
/// not inlined, and as shared (weak) specialisations the linker could hand them to baseline code.
package enum AVX512VectorScan {
    package static func float32(
        rows: UnsafePointer<Float>, dimensions d: Int, query: UnsafePointer<Float>,
        range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        #if ENGRAM_AVX512 && arch(x86_64)
            for r in range { scores[r] = dot(rows + r * d, query, count: d) }
        #else
            BaselineVectorScan.float32(rows: rows, dimensions: d, query: query, range: range, scores: scores)
        #endif
    }

    /// One row's score, exactly as `float32(rows:dimensions:query:range:scores:)` computes it.
    package static func float32(rows: UnsafePointer<Float>, dimensions d: Int, query: UnsafePointer<Float>, row: Int) -> Float {
        #if ENGRAM_AVX512 && arch(x86_64)
            dot(rows + row * d, query, count: d)
        #else
            BaselineVectorScan.float32(rows: rows, dimensions: d, query: query, row: row)
        #endif
    }

    package static func int8(
        rows: UnsafePointer<Int8>, scales: UnsafePointer<Float>, dimensions d: Int,
        query: UnsafePointer<Float>, range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        #if ENGRAM_AVX512 && arch(x86_64)
            VectorScan<AVX512Arithmetic>.int8(rows: rows, scales: scales, dimensions: d, query: query, range: range, scores: scores)
        #else
            BaselineVectorScan.int8(rows: rows, scales: scales, dimensions: d, query: query, range: range, scores: scores)
        #endif
    }

    #if ENGRAM_AVX512 && arch(x86_64)
        @inline(__always)
        static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
            UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        }

        @inline(__always)
        static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
            var c0 = SIMD16<Float>(repeating: 0), c1 = c0, c2 = c0, c3 = c0
            var i = 0
            while i + 64 <= n {
                c0 = c0.addingProduct(load16(a + i), load16(b + i))
                c1 = c1.addingProduct(load16(a + i + 16), load16(b + i + 16))
                c2 = c2.addingProduct(load16(a + i + 32), load16(b + i + 32))
                c3 = c3.addingProduct(load16(a + i + 48), load16(b + i + 48))
                i += 64
            }
            while i + 16 <= n {
                c0 = c0.addingProduct(load16(a + i), load16(b + i))
                i += 16
            }
            var s = ((c0 + c1) + (c2 + c3)).sum()
            while i < n { s = s + a[i] * b[i]; i += 1 }
            return s
        }
    #endif
}
