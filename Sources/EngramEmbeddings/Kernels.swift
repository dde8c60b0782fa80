import Foundation

/// Dense float kernels for the encoder: blocked SIMD GEMM, layer norm, exact GELU, softmax.
/// Written with plain `c + a * b` on SIMD vectors so the compiler emits vector mul/add (or FMA when the target has it).
/// `@_optimize(speed)` keeps the kernels fast even in debug builds, where tests run on real weights.
enum Kernels {
    /// Rows per micro-tile.
    static let mr = 4
    /// Columns per micro-tile (two SIMD8 registers per row).
    static let nr = 16
    /// Columns per parallel work item.
    static let columnChunk = 64

    /// `out[m×n] = x[m×k] · w[k×n] (+ bias[n])`, all row-major; `w` is the pre-transposed weight.
    /// `ldx`/`ldo` are row strides (≥ k / ≥ n) so callers can address column slices of packed matrices.
    /// Splits columns across `threads` workers.
    @_optimize(speed)
    static func gemm(
        x: UnsafePointer<Float>, ldx: Int, m: Int, k: Int,
        w: UnsafePointer<Float>, ldw: Int, n: Int,
        bias: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, ldo: Int,
        threads: Int
    ) {
        guard m > 0, n > 0 else { return }
        let chunks = (n + columnChunk - 1) / columnChunk
        let px = SendableConstPointer(x), pw = SendableConstPointer(w), po = SendablePointer(out)
        let pb = bias.map { SendableConstPointer($0) }
        if threads <= 1 || chunks == 1 || m * n * k < 32_768 {
            gemmColumns(x: x, ldx: ldx, m: m, k: k, w: w, ldw: ldw, columns: 0..<n, bias: bias, out: out, ldo: ldo)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * columnChunk
            let hi = min(n, lo + columnChunk)
            gemmColumns(x: px.raw, ldx: ldx, m: m, k: k, w: pw.raw, ldw: ldw, columns: lo..<hi,
                        bias: pb?.raw, out: po.raw, ldo: ldo)
        }
    }

    /// One worker's share: all rows, a range of columns.
    @_optimize(speed)
    static func gemmColumns(
        x: UnsafePointer<Float>, ldx: Int, m: Int, k: Int,
        w: UnsafePointer<Float>, ldw: Int, columns: Range<Int>,
        bias: UnsafePointer<Float>?,
        out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        let fullEnd = columns.lowerBound + (columns.count / nr) * nr
        var i = 0
        while i < m {
            let rows = min(mr, m - i)
            var j = columns.lowerBound
            while j < fullEnd {
                if rows == mr {
                    micro4x16(x: x + i * ldx, ldx: ldx, k: k, w: w + j, ldw: ldw, bias: bias.map { $0 + j }, out: out + i * ldo + j, ldo: ldo)
                } else {
                    for r in 0..<rows {
                        micro1x16(x: x + (i + r) * ldx, k: k, w: w + j, ldw: ldw, bias: bias.map { $0 + j }, out: out + (i + r) * ldo + j)
                    }
                }
                j += nr
            }
            // Ragged right edge: scalar columns (only hit by attention's sequence-length dimension and tiny models).
            if fullEnd < columns.upperBound {
                for r in 0..<rows {
                    let xr = x + (i + r) * ldx
                    for c in fullEnd..<columns.upperBound {
                        var s: Float = bias?[c] ?? 0
                        for p in 0..<k { s += xr[p] * w[p * ldw + c] }
                        out[(i + r) * ldo + c] = s
                    }
                }
            }
            i += mr
        }
    }

    @inline(__always) @_optimize(speed)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) @_optimize(speed)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    @inline(__always) @_optimize(speed)
    static func micro4x16(x: UnsafePointer<Float>, ldx: Int, k: Int, w: UnsafePointer<Float>, ldw: Int,
                          bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, ldo: Int) {
        var b0 = SIMD8<Float>(repeating: 0), b1 = SIMD8<Float>(repeating: 0)
        if let bias { b0 = load8(bias); b1 = load8(bias + 8) }
        var c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1
        let x0 = x, x1 = x + ldx, x2 = x + 2 * ldx, x3 = x + 3 * ldx
        var wp = w
        for p in 0..<k {
            let w0 = load8(wp), w1 = load8(wp + 8)
            let a0 = SIMD8<Float>(repeating: x0[p])
            c00 = c00 + a0 * w0; c01 = c01 + a0 * w1
            let a1 = SIMD8<Float>(repeating: x1[p])
            c10 = c10 + a1 * w0; c11 = c11 + a1 * w1
            let a2 = SIMD8<Float>(repeating: x2[p])
            c20 = c20 + a2 * w0; c21 = c21 + a2 * w1
            let a3 = SIMD8<Float>(repeating: x3[p])
            c30 = c30 + a3 * w0; c31 = c31 + a3 * w1
            wp += ldw
        }
        store8(c00, out); store8(c01, out + 8)
        store8(c10, out + ldo); store8(c11, out + ldo + 8)
        store8(c20, out + 2 * ldo); store8(c21, out + 2 * ldo + 8)
        store8(c30, out + 3 * ldo); store8(c31, out + 3 * ldo + 8)
    }

    @inline(__always) @_optimize(speed)
    static func micro1x16(x: UnsafePointer<Float>, k: Int, w: UnsafePointer<Float>, ldw: Int,
                          bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>) {
        var c0 = SIMD8<Float>(repeating: 0), c1 = SIMD8<Float>(repeating: 0)
        if let bias { c0 = load8(bias); c1 = load8(bias + 8) }
        var wp = w
        for p in 0..<k {
            let a = SIMD8<Float>(repeating: x[p])
            c0 = c0 + a * load8(wp); c1 = c1 + a * load8(wp + 8)
            wp += ldw
        }
        store8(c0, out); store8(c1, out + 8)
    }

    /// In-place layer norm over each of `rows` rows of width `n`: `(x - mean) / sqrt(var + eps) * gamma + beta`.
    @_optimize(speed)
    static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int,
                          gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, eps: Float) {
        for r in 0..<rows {
            let row = x + r * n
            var sum: Float = 0
            for i in 0..<n { sum += row[i] }
            let mean = sum / Float(n)
            var sq: Float = 0
            for i in 0..<n { let d = row[i] - mean; sq += d * d }
            let inv = 1 / (sq / Float(n) + eps).squareRoot()
            var i = 0
            let vm = SIMD8<Float>(repeating: mean), vi = SIMD8<Float>(repeating: inv)
            while i + 8 <= n {
                let v = (load8(row + i) - vm) * vi
                store8(v * load8(gamma + i) + load8(beta + i), row + i)
                i += 8
            }
            while i < n {
                row[i] = (row[i] - mean) * inv * gamma[i] + beta[i]
                i += 1
            }
        }
    }

    /// Vector exp accurate to ~2 ulp over the float range (Cody–Waite reduction, degree-6 polynomial, 2^n by bits).
    @inline(__always) @_optimize(speed)
    static func exp8(_ xIn: SIMD8<Float>) -> SIMD8<Float> {
        let x = xIn.clamped(lowerBound: SIMD8(repeating: -87.3), upperBound: SIMD8(repeating: 88.3))
        let magic = SIMD8<Float>(repeating: 12_582_912) // 1.5 * 2^23: adding it rounds to an integer
        let t = x * SIMD8(repeating: 1.442_695_04) + magic
        let n = t - magic
        var r = x - n * SIMD8(repeating: 0.693_359_375)
        r = r - n * SIMD8(repeating: -2.121_944_4e-4)
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + SIMD8(repeating: 1.0 / 120)
        p = p * r + SIMD8(repeating: 1.0 / 24)
        p = p * r + SIMD8(repeating: 1.0 / 6)
        p = p * r + SIMD8(repeating: 0.5)
        p = p * r + SIMD8(repeating: 1)
        p = p * r + SIMD8(repeating: 1)
        let bits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- SIMD8(repeating: 0x4B40_0000)
        let scale = unsafeBitCast((bits &+ SIMD8(repeating: 127)) &<< SIMD8(repeating: 23), to: SIMD8<Float>.self)
        return p * scale
    }

    /// erf via Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), vectorised.
    @inline(__always) @_optimize(speed)
    static func erf8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let a = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + SIMD8(repeating: 0.327_591_1) * a)
        var y = SIMD8<Float>(repeating: 1.061_405_429)
        y = y * t + SIMD8(repeating: -1.453_152_027)
        y = y * t + SIMD8(repeating: 1.421_413_741)
        y = y * t + SIMD8(repeating: -0.284_496_736)
        y = y * t + SIMD8(repeating: 0.254_829_592)
        y = y * t
        let e = SIMD8<Float>(repeating: 1) - y * exp8(-(a * a))
        return e.replacing(with: -e, where: x .< 0)
    }

    /// Exact GELU, `x * Φ(x) = 0.5 x (1 + erf(x / √2))`, in place.
    @_optimize(speed)
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let invSqrt2 = SIMD8<Float>(repeating: 0.707_106_781_186_547_5)
        while i + 8 <= count {
            let v = load8(x + i)
            store8(SIMD8<Float>(repeating: 0.5) * v * (SIMD8<Float>(repeating: 1) + erf8(v * invSqrt2)), x + i)
            i += 8
        }
        while i < count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + Foundation.erf(v * 0.707_106_781_186_547_5))
            i += 1
        }
    }

    /// Numerically stable softmax of each row (in place) after multiplying by `scale`.
    @_optimize(speed)
    static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, n: Int, scale: Float) {
        for r in 0..<rows {
            let row = x + r * n
            var maxV = -Float.infinity
            for i in 0..<n { maxV = max(maxV, row[i]) }
            let vm = SIMD8<Float>(repeating: maxV * scale), vs = SIMD8<Float>(repeating: scale)
            var sum: Float = 0
            var i = 0
            while i + 8 <= n {
                let e = exp8(load8(row + i) * vs - vm)
                store8(e, row + i)
                sum += e.sum()
                i += 8
            }
            while i < n {
                let e = Foundation.exp(row[i] * scale - maxV * scale)
                row[i] = e
                sum += e
                i += 1
            }
            let inv = 1 / sum
            for j in 0..<n { row[j] *= inv }
        }
    }
}
