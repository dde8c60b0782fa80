import Dispatch

/// `out[m × n] = x[m × k] · W (+ bias) (+ out)` with `W` packed in panels, generic over the arithmetic so each
/// instruction-set module compiles its own copy (see `KernelArithmetic`).
///
/// Blocking: workers split the panels; each loops over blocks of `k` (a panel block stays in L1), blocks of rows
/// (the matching slice of `x` stays in L2), panels, then micro-tiles of `A.tileRows × 16` that keep all
/// accumulators in registers. Every output element is computed by the same sequence of operations whatever the
/// thread count or its row's position, so results do not depend on batching or threading.
package enum GEMM<A: KernelArithmetic> {
    /// Depth of a k-block: 384 × 16 floats of a panel is 24 KB, inside a 32 KB L1.
    @inlinable package static var depthBlock: Int { 384 }
    /// Below this many multiply-adds a second thread costs more than it saves.
    @inlinable package static var parallelThreshold: Int { 65_536 }
    /// Work items per worker thread in a parallel product.
    @inlinable package static var chunksPerWorker: Int { 4 }

    /// Runs the product, splitting panels across up to `threads` workers. With `accumulate`, adds to what `out`
    /// holds (used to fuse residual connections).
    @inlinable
    package static func run(
        x: UnsafePointer<Float>, ldx: Int, rows m: Int, weights w: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, threads: Int
    ) {
        let panels = w.panelCount
        guard m > 0, panels > 0 else { return }
        if w.k == 0 {
            if !accumulate {
                for i in 0..<m { for j in 0..<w.n { out[i * ldo + j] = w.bias?[j] ?? 0 } }
            } else if let bias = w.bias {
                for i in 0..<m { for j in 0..<w.n { out[i * ldo + j] += bias[j] } }
            }
            return
        }
        let workers = threads > 1 && m * w.k * w.n >= parallelThreshold ? min(threads, panels) : 1
        if workers == 1 {
            panelRange(x: x, ldx: ldx, rows: m, weights: w, out: out, ldo: ldo, accumulate: accumulate, panels: 0..<panels)
            return
        }
        // A few chunks per worker: a worker that wakes late still finds work, instead of the caller running
        // both halves in turn.
        let chunks = min(panels, workers * chunksPerWorker)
        let px = WorkerPointer(x), po = WorkerPointer(out)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = panels * c / chunks, hi = panels * (c + 1) / chunks
            panelRange(x: px.raw, ldx: ldx, rows: m, weights: w, out: po.raw, ldo: ldo, accumulate: accumulate, panels: lo..<hi)
        }
    }

    /// One worker's share: all rows, the columns of `panels`.
    @inlinable
    package static func panelRange(
        x: UnsafePointer<Float>, ldx: Int, rows m: Int, weights w: PanelMatrix,
        out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, panels: Range<Int>
    ) {
        let k = w.k, mr = A.tileRows
        let kBlocks = (k + depthBlock - 1) / depthBlock
        let kc = (k + kBlocks - 1) / kBlocks
        let mc = mr * 24
        var k0 = 0
        while k0 < k {
            let depth = min(kc, k - k0)
            let first = k0 == 0
            var i0 = 0
            while i0 < m {
                let iEnd = min(m, i0 + mc)
                for panel in panels {
                    let j0 = panel * PanelMatrix.width
                    let cols = min(PanelMatrix.width, w.n - j0)
                    let wp = w.pointer + panel * k * PanelMatrix.width + k0 * PanelMatrix.width
                    let bias = first ? w.bias.map { $0 + j0 } : nil
                    var i = i0
                    while i < iEnd {
                        tile(
                            x: x + i * ldx + k0, ldx: ldx, rows: min(mr, iEnd - i), depth: depth, w: wp, cols: cols,
                            bias: bias, out: out + i * ldo + j0, ldo: ldo, loadOut: accumulate || !first)
                        i += mr
                    }
                }
                i0 = iEnd
            }
            k0 += depth
        }
    }

    /// `A.tileRows × 16` outputs over `depth` steps. Rows past `rows` re-read row 0 and are not stored; columns
    /// past `cols` are computed on the panel's zero padding and not stored.
    @inlinable @inline(__always)
    package static func tile(
        x: UnsafePointer<Float>, ldx: Int, rows: Int, depth: Int, w: UnsafePointer<Float>, cols: Int,
        bias: UnsafePointer<Float>?, out: UnsafeMutablePointer<Float>, ldo: Int, loadOut: Bool
    ) {
        let six = A.tileRows >= 6
        let x0 = x
        let x1 = rows > 1 ? x + ldx : x
        let x2 = rows > 2 ? x + 2 * ldx : x
        let x3 = rows > 3 ? x + 3 * ldx : x
        let x4 = rows > 4 ? x + 4 * ldx : x
        let x5 = rows > 5 ? x + 5 * ldx : x
        var b0 = SIMD8<Float>(repeating: 0), b1 = SIMD8<Float>(repeating: 0)
        if let bias { b0 = SIMDMemory.load8(bias); b1 = SIMDMemory.load8(bias + 8) }
        var c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1
        var c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1
        if loadOut {
            addRow(&c00, &c01, out, cols: cols)
            if rows > 1 { addRow(&c10, &c11, out + ldo, cols: cols) }
            if rows > 2 { addRow(&c20, &c21, out + 2 * ldo, cols: cols) }
            if rows > 3 { addRow(&c30, &c31, out + 3 * ldo, cols: cols) }
            if six && rows > 4 { addRow(&c40, &c41, out + 4 * ldo, cols: cols) }
            if six && rows > 5 { addRow(&c50, &c51, out + 5 * ldo, cols: cols) }
        }
        var wp = w
        var p = 0
        while p < depth {
            let w0 = SIMDMemory.load8(wp), w1 = SIMDMemory.load8(wp + 8)
            var a = SIMD8<Float>(repeating: x0[p])
            c00 = A.multiplyAdd(c00, a, w0); c01 = A.multiplyAdd(c01, a, w1)
            a = SIMD8<Float>(repeating: x1[p])
            c10 = A.multiplyAdd(c10, a, w0); c11 = A.multiplyAdd(c11, a, w1)
            a = SIMD8<Float>(repeating: x2[p])
            c20 = A.multiplyAdd(c20, a, w0); c21 = A.multiplyAdd(c21, a, w1)
            a = SIMD8<Float>(repeating: x3[p])
            c30 = A.multiplyAdd(c30, a, w0); c31 = A.multiplyAdd(c31, a, w1)
            if six {
                a = SIMD8<Float>(repeating: x4[p])
                c40 = A.multiplyAdd(c40, a, w0); c41 = A.multiplyAdd(c41, a, w1)
                a = SIMD8<Float>(repeating: x5[p])
                c50 = A.multiplyAdd(c50, a, w0); c51 = A.multiplyAdd(c51, a, w1)
            }
            wp += PanelMatrix.width
            p += 1
        }
        storeRow(c00, c01, out, cols: cols)
        if rows > 1 { storeRow(c10, c11, out + ldo, cols: cols) }
        if rows > 2 { storeRow(c20, c21, out + 2 * ldo, cols: cols) }
        if rows > 3 { storeRow(c30, c31, out + 3 * ldo, cols: cols) }
        if six && rows > 4 { storeRow(c40, c41, out + 4 * ldo, cols: cols) }
        if six && rows > 5 { storeRow(c50, c51, out + 5 * ldo, cols: cols) }
    }

    @inlinable @inline(__always)
    static func addRow(_ lo: inout SIMD8<Float>, _ hi: inout SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, cols: Int) {
        if cols == 16 {
            lo = lo + SIMDMemory.load8(p); hi = hi + SIMDMemory.load8(p + 8)
        } else if cols >= 8 {
            lo = lo + SIMDMemory.load8(p); hi = hi + SIMDMemory.loadPartial8(p + 8, count: cols - 8)
        } else {
            lo = lo + SIMDMemory.loadPartial8(p, count: cols)
        }
    }

    @inlinable @inline(__always)
    static func storeRow(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, cols: Int) {
        if cols == 16 {
            SIMDMemory.store8(lo, p); SIMDMemory.store8(hi, p + 8)
        } else if cols >= 8 {
            SIMDMemory.store8(lo, p); SIMDMemory.storePartial8(hi, p + 8, count: cols - 8)
        } else {
            SIMDMemory.storePartial8(lo, p, count: cols)
        }
    }
}
