/// The vector index's scan: one query against a block of stored rows, generic over the arithmetic so the AVX2
/// module compiles its own copy (see `KernelArithmetic`). At 100k vectors a hybrid search spends most of its
/// time here.
package enum VectorScan<A: KernelArithmetic> {
    /// `scores[r] = rows[r] · query` for `r` in `range`; rows are `dimensions` floats each.
    @inlinable
    package static func float32(
        rows: UnsafePointer<Float>, dimensions d: Int, query: UnsafePointer<Float>,
        range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        for r in range { scores[r] = dot(rows + r * d, query, count: d) }
    }

    /// `scores[r] = (bytes[r] · query) × scales[r]` for `r` in `range`; rows are `dimensions` signed bytes each.
    @inlinable
    package static func int8(
        rows: UnsafePointer<Int8>, scales: UnsafePointer<Float>, dimensions d: Int,
        query: UnsafePointer<Float>, range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        for r in range { scores[r] = dotInt8(rows + r * d, query, count: d) * scales[r] }
    }

    /// Four independent accumulators, so consecutive multiply-adds do not wait on each other.
    @inlinable @inline(__always)
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        var c0 = SIMD8<Float>(repeating: 0), c1 = c0, c2 = c0, c3 = c0
        var i = 0
        while i + 32 <= n {
            c0 = A.multiplyAdd(c0, SIMDMemory.load8(a + i), SIMDMemory.load8(b + i))
            c1 = A.multiplyAdd(c1, SIMDMemory.load8(a + i + 8), SIMDMemory.load8(b + i + 8))
            c2 = A.multiplyAdd(c2, SIMDMemory.load8(a + i + 16), SIMDMemory.load8(b + i + 16))
            c3 = A.multiplyAdd(c3, SIMDMemory.load8(a + i + 24), SIMDMemory.load8(b + i + 24))
            i += 32
        }
        while i + 8 <= n {
            c0 = A.multiplyAdd(c0, SIMDMemory.load8(a + i), SIMDMemory.load8(b + i))
            i += 8
        }
        var s = ((c0 + c1) + (c2 + c3)).sum()
        while i < n { s = s + a[i] * b[i]; i += 1 }
        return s
    }

    @inlinable @inline(__always)
    package static func dotInt8(_ a: UnsafePointer<Int8>, _ q: UnsafePointer<Float>, count n: Int) -> Float {
        var c0 = SIMD8<Float>(repeating: 0), c1 = c0
        var i = 0
        let raw = UnsafeRawPointer(a)
        while i + 16 <= n {
            let lo = raw.loadUnaligned(fromByteOffset: i, as: SIMD8<Int8>.self)
            let hi = raw.loadUnaligned(fromByteOffset: i + 8, as: SIMD8<Int8>.self)
            c0 = A.multiplyAdd(c0, SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: lo)), SIMDMemory.load8(q + i))
            c1 = A.multiplyAdd(c1, SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: hi)), SIMDMemory.load8(q + i + 8))
            i += 16
        }
        var s = (c0 + c1).sum()
        while i < n { s = s + Float(a[i]) * q[i]; i += 1 }
        return s
    }
}

/// The scan compiled for the baseline target.
package enum BaselineVectorScan {
    package static func float32(
        rows: UnsafePointer<Float>, dimensions: Int, query: UnsafePointer<Float>,
        range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        VectorScan<PlainArithmetic>.float32(rows: rows, dimensions: dimensions, query: query, range: range, scores: scores)
    }

    /// One row's score, exactly as `float32(rows:dimensions:query:range:scores:)` computes it.
    package static func float32(rows: UnsafePointer<Float>, dimensions: Int, query: UnsafePointer<Float>, row: Int) -> Float {
        VectorScan<PlainArithmetic>.dot(rows + row * dimensions, query, count: dimensions)
    }

    package static func int8(
        rows: UnsafePointer<Int8>, scales: UnsafePointer<Float>, dimensions: Int,
        query: UnsafePointer<Float>, range: Range<Int>, scores: UnsafeMutablePointer<Float>
    ) {
        VectorScan<PlainArithmetic>.int8(rows: rows, scales: scales, dimensions: dimensions, query: query, range: range, scores: scores)
    }
}
