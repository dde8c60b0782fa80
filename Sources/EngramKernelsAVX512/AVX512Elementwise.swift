import Dispatch
import EngramKernels

#if ENGRAM_AVX512 && arch(x86_64)
    /// Exact GELU on 16 lanes (one zmm register): the same Cody–Waite exp and Abramowitz–Stegun erf as
    /// `Elementwise.gelu`, twice as wide.
    enum AVX512Elementwise {
        @inline(__always)
        static func exp16(_ xIn: SIMD16<Float>) -> SIMD16<Float> {
            var x = xIn.replacing(with: -87.3, where: xIn .< -87.3)
            x.replace(with: 88.3, where: x .> 88.3)
            let magic = SIMD16<Float>(repeating: 12_582_912) // 1.5 * 2^23: adding it rounds to an integer
            let t = magic.addingProduct(x, SIMD16(repeating: 1.442_695_04))
            let n = t - magic
            var r = x.addingProduct(n, SIMD16(repeating: -0.693_359_375))
            r = r.addingProduct(n, SIMD16(repeating: 2.121_944_4e-4))
            var p = SIMD16<Float>(repeating: 1.0 / 720)
            p = SIMD16(repeating: 1.0 / 120).addingProduct(p, r)
            p = SIMD16(repeating: 1.0 / 24).addingProduct(p, r)
            p = SIMD16(repeating: 1.0 / 6).addingProduct(p, r)
            p = SIMD16(repeating: 0.5).addingProduct(p, r)
            p = SIMD16(repeating: 1).addingProduct(p, r)
            p = SIMD16(repeating: 1).addingProduct(p, r)
            let bits = unsafeBitCast(t, to: SIMD16<Int32>.self) &- SIMD16(repeating: 0x4B40_0000)
            let scale = unsafeBitCast((bits &+ SIMD16(repeating: 127)) &<< SIMD16(repeating: 23), to: SIMD16<Float>.self)
            return p * scale
        }

        @inline(__always)
        static func erf16(_ x: SIMD16<Float>) -> SIMD16<Float> {
            let negative = x .< 0
            let a = x.replacing(with: -x, where: negative)
            let t = 1 / SIMD16<Float>(repeating: 1).addingProduct(SIMD16(repeating: 0.327_591_1), a)
            var y = SIMD16<Float>(repeating: 1.061_405_429)
            y = SIMD16(repeating: -1.453_152_027).addingProduct(y, t)
            y = SIMD16(repeating: 1.421_413_741).addingProduct(y, t)
            y = SIMD16(repeating: -0.284_496_736).addingProduct(y, t)
            y = SIMD16(repeating: 0.254_829_592).addingProduct(y, t)
            y = y * t
            let e = SIMD16<Float>(repeating: 1) - y * exp16(-(a * a))
            return e.replacing(with: -e, where: negative)
        }

        @inline(__always)
        static func gelu16(_ v: SIMD16<Float>) -> SIMD16<Float> {
            let hv = SIMD16<Float>(repeating: 0.5) * v
            return hv.addingProduct(hv, erf16(v * SIMD16(repeating: 0.707_106_781_186_547_5)))
        }

        static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
            var i = 0
            while i + 16 <= count {
                let p = UnsafeMutableRawPointer(x + i)
                p.storeBytes(of: gelu16(p.loadUnaligned(as: SIMD16<Float>.self)), as: SIMD16<Float>.self)
                i += 16
            }
            if i < count {
                var v = SIMD16<Float>(repeating: 0)
                for l in 0..<(count - i) { v[l] = x[i + l] }
                let g = gelu16(v)
                for l in 0..<(count - i) { x[i + l] = g[l] }
            }
        }

        /// GELU split into a few pieces per worker, for up to `threads` workers.
        static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
            guard threads > 1, count >= 16_384 else { gelu(x, count: count); return }
            let pieces = threads * 4
            let chunk = ((count + pieces - 1) / pieces + 15) / 16 * 16
            let px = WorkerPointer(x)
            DispatchQueue.concurrentPerform(iterations: pieces) { t in
                let lo = t * chunk
                let hi = min(count, lo + chunk)
                if lo < hi { gelu(px.raw + lo, count: hi - lo) }
            }
        }
    }
#endif
