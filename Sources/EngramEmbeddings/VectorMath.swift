import Foundation

/// Small SIMD vector helpers shared by pooling, the index and the providers.
enum VectorMath {
    /// Dot product of two equally long float buffers.
    @_optimize(speed)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        var acc0 = SIMD8<Float>(repeating: 0)
        var acc1 = SIMD8<Float>(repeating: 0)
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 16 <= n {
            let a0 = ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let b0 = rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let a1 = ra.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            let b1 = rb.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            acc0 = acc0 + a0 * b0
            acc1 = acc1 + a1 * b1
            i += 16
        }
        var s = (acc0 + acc1).sum()
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                guard let x = pa.baseAddress, let y = pb.baseAddress else { return 0 }
                return dot(x, y, count: a.count)
            }
        }
    }

    /// Scales `v` to unit length; a zero vector stays zero (sentence-transformers clamps the norm the same way).
    static func normalize(_ v: inout [Float]) {
        let norm = dot(v, v).squareRoot()
        guard norm > 1e-12 else { return }
        let inv = 1 / norm
        for i in v.indices { v[i] *= inv }
    }

    /// Cosine similarity; 0 when either vector is zero.
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let na = dot(a, a).squareRoot(), nb = dot(b, b).squareRoot()
        guard na > 0, nb > 0 else { return 0 }
        return dot(a, b) / (na * nb)
    }
}
