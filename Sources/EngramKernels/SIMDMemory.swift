/// Unaligned SIMD8 loads and stores on float pointers.
package enum SIMDMemory {
    @inlinable @inline(__always)
    package static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    package static func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    package static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// The first `count` (< 8) floats at `p`, zeros after.
    @inlinable @inline(__always)
    package static func loadPartial8(_ p: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
        var v = SIMD8<Float>(repeating: 0)
        for i in 0..<count { v[i] = p[i] }
        return v
    }

    /// Stores the first `count` (< 8) lanes of `v`.
    @inlinable @inline(__always)
    package static func storePartial8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { p[i] = v[i] }
    }
}
