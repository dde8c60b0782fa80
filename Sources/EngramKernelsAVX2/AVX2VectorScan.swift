import EngramKernels

/// The vector index's scan compiled with AVX2 + FMA (call only where `AVX2Kernels.isCompiled` and the CPU has both).
package enum AVX2VectorScan {
    #if ENGRAM_AVX2 && arch(x86_64)
        typealias Arithmetic = FusedArithmetic
    #else
        typealias Arithmetic = PlainArithmetic
    #endif

    package static func float32(
        rows: UnsafePointer<Float>, dimensions: Int, query: UnsafePointer<Float>,
        range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        VectorScan<Arithmetic>.float32(rows: rows, dimensions: dimensions, query: query, range: range, scores: scores)
    }

    /// One row's score, exactly as `float32(rows:dimensions:query:range:scores:)` computes it.
    package static func float32(rows: UnsafePointer<Float>, dimensions: Int, query: UnsafePointer<Float>, row: Int) -> Float {
        VectorScan<Arithmetic>.dot(rows + row * dimensions, query, count: dimensions)
    }

    package static func int8(
        rows: UnsafePointer<Int8>, scales: UnsafePointer<Float>, dimensions: Int,
        query: UnsafePointer<Float>, range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        VectorScan<Arithmetic>.int8(rows: rows, scales: scales, dimensions: dimensions, query: query, range: range, scores: scores)
    }
}
