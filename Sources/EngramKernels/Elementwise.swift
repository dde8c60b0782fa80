import Dispatch
import Foundation

/// Row-wise and element-wise kernels of the encoder (layer norm, exact GELU, softmax), vectorised on SIMD8 and
/// generic over the arithmetic like `GEMM`.
package enum Elementwise<A: KernelArithmetic> {
    /// In-place layer norm of each of `rows` rows of `width` floats: `(x - mean) / sqrt(var + eps) * gamma + beta`.
    @inlinable
    package static func layerNorm(
        _ x: UnsafeMutablePointer<Float>, rows: Int, width n: Int,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float
    ) {
        let vectorEnd = n / 8 * 8
        for r in 0..<rows {
            let row = x + r * n
            var acc = SIMD8<Float>(repeating: 0)
            var i = 0
            while i < vectorEnd { acc = acc + SIMDMemory.load8(row + i); i += 8 }
            var sum = acc.sum()
            while i < n { sum += row[i]; i += 1 }
            let mean = sum / Float(n)
            let vm = SIMD8<Float>(repeating: mean)
            acc = SIMD8<Float>(repeating: 0)
            i = 0
            while i < vectorEnd { let d = SIMDMemory.load8(row + i) - vm; acc = A.multiplyAdd(acc, d, d); i += 8 }
            var sq = acc.sum()
            while i < n { let d = row[i] - mean; sq += d * d; i += 1 }
            let inv = 1 / (sq / Float(n) + eps).squareRoot()
            let vi = SIMD8<Float>(repeating: inv)
            i = 0
            while i < vectorEnd {
                let v = (SIMDMemory.load8(row + i) - vm) * vi
                SIMDMemory.store8(A.multiplyAdd(SIMDMemory.load8(beta + i), v, SIMDMemory.load8(gamma + i)), row + i)
                i += 8
            }
            while i < n {
                row[i] = (row[i] - mean) * inv * gamma[i] + beta[i]
                i += 1
            }
        }
    }

    /// Vector exp, accurate to a few ulp over the float range (Cody–Waite reduction, degree-6 polynomial,
    /// 2^n built from the exponent bits).
    @inlinable @inline(__always)
    package static func exp8(_ xIn: SIMD8<Float>) -> SIMD8<Float> {
        var x = xIn.replacing(with: -87.3, where: xIn .< -87.3)
        x.replace(with: 88.3, where: x .> 88.3)
        let magic = SIMD8<Float>(repeating: 12_582_912) // 1.5 * 2^23: adding it rounds to an integer
        let t = A.multiplyAdd(magic, x, SIMD8(repeating: 1.442_695_04))
        let n = t - magic
        var r = A.multiplyAdd(x, n, SIMD8(repeating: -0.693_359_375))
        r = A.multiplyAdd(r, n, SIMD8(repeating: 2.121_944_4e-4))
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = A.multiplyAdd(SIMD8(repeating: 1.0 / 120), p, r)
        p = A.multiplyAdd(SIMD8(repeating: 1.0 / 24), p, r)
        p = A.multiplyAdd(SIMD8(repeating: 1.0 / 6), p, r)
        p = A.multiplyAdd(SIMD8(repeating: 0.5), p, r)
        p = A.multiplyAdd(SIMD8(repeating: 1), p, r)
        p = A.multiplyAdd(SIMD8(repeating: 1), p, r)
        let bits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- SIMD8(repeating: 0x4B40_0000)
        let scale = unsafeBitCast((bits &+ SIMD8(repeating: 127)) &<< SIMD8(repeating: 23), to: SIMD8<Float>.self)
        return p * scale
    }

    /// erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7).
    @inlinable @inline(__always)
    package static func erf8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let negative = x .< 0
        let a = x.replacing(with: -x, where: negative)
        let t = 1 / A.multiplyAdd(SIMD8(repeating: 1), SIMD8(repeating: 0.327_591_1), a)
        var y = SIMD8<Float>(repeating: 1.061_405_429)
        y = A.multiplyAdd(SIMD8(repeating: -1.453_152_027), y, t)
        y = A.multiplyAdd(SIMD8(repeating: 1.421_413_741), y, t)
        y = A.multiplyAdd(SIMD8(repeating: -0.284_496_736), y, t)
        y = A.multiplyAdd(SIMD8(repeating: 0.254_829_592), y, t)
        y = y * t
        let e = SIMD8<Float>(repeating: 1) - y * exp8(-(a * a))
        return e.replacing(with: -e, where: negative)
    }

    /// Exact GELU, `x Φ(x) = 0.5 x (1 + erf(x / √2))`, in place.
    @inlinable
    package static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let invSqrt2 = SIMD8<Float>(repeating: 0.707_106_781_186_547_5), half = SIMD8<Float>(repeating: 0.5)
        while i + 8 <= count {
            let v = SIMDMemory.load8(x + i)
            let hv = half * v
            SIMDMemory.store8(A.multiplyAdd(hv, hv, erf8(v * invSqrt2)), x + i)
            i += 8
        }
        if i < count {
            let v = SIMDMemory.loadPartial8(x + i, count: count - i)
            let hv = half * v
            SIMDMemory.storePartial8(A.multiplyAdd(hv, hv, erf8(v * invSqrt2)), x + i, count: count - i)
        }
    }

    /// GELU split into a few pieces per worker, for up to `threads` workers.
    @inlinable
    package static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        guard threads > 1, count >= 16_384 else { gelu(x, count: count); return }
        let pieces = threads * 4
        let chunk = ((count + pieces - 1) / pieces + 7) / 8 * 8
        let px = WorkerPointer(x)
        DispatchQueue.concurrentPerform(iterations: pieces) { t in
            let lo = t * chunk
            let hi = min(count, lo + chunk)
            if lo < hi { gelu(px.raw + lo, count: hi - lo) }
        }
    }

    /// Numerically stable softmax of each row (in place) of `x * scale`.
    @inlinable
    package static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width n: Int, scale: Float) {
        let vectorEnd = n / 8 * 8
        for r in 0..<rows {
            let row = x + r * n
            var vmax = SIMD8<Float>(repeating: -.infinity)
            var i = 0
            while i < vectorEnd {
                let v = SIMDMemory.load8(row + i)
                vmax.replace(with: v, where: v .> vmax)
                i += 8
            }
            var maxV = vmax[0]
            for l in 1..<8 where vmax[l] > maxV { maxV = vmax[l] }
            while i < n { if row[i] > maxV { maxV = row[i] }; i += 1 }
            let vs = SIMD8<Float>(repeating: scale), shift = SIMD8<Float>(repeating: -maxV * scale)
            var acc = SIMD8<Float>(repeating: 0)
            i = 0
            while i < vectorEnd {
                let e = exp8(A.multiplyAdd(shift, SIMDMemory.load8(row + i), vs))
                SIMDMemory.store8(e, row + i)
                acc = acc + e
                i += 8
            }
            if i < n {
                let tail = n - i
                let e = exp8(A.multiplyAdd(shift, SIMDMemory.loadPartial8(row + i, count: tail), vs))
                SIMDMemory.storePartial8(e, row + i, count: tail)
                for l in 0..<tail { acc[l] += e[l] }
            }
            let inv = SIMD8<Float>(repeating: 1 / acc.sum())
            i = 0
            while i < vectorEnd { SIMDMemory.store8(SIMDMemory.load8(row + i) * inv, row + i); i += 8 }
            while i < n { row[i] *= inv[0]; i += 1 }
        }
    }
}
