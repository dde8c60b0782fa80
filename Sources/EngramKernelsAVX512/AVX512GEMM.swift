import Dispatch
import EngramKernels

#if ENGRAM_AVX512 && arch(x86_64)
    /// The AVX-512 GEMM: `out[m × n] = x[m × k] · W (+ bias) (+ out)` on the same `PanelMatrix` layout as `GEMM`, with a
    /// micro-tile of up to 12 rows × two panels (32 columns): 24 zmm accumulators, two weight vectors and a broadcast
    /// fit the 32 zmm registers, so each step issues 24 fused multiply-adds for 2 weight loads and 12 broadcasts.
    ///
    /// As in `GEMM`, every output element is `bias (+ out) + Σ x·w` in the same order (k-blocks of `depthBlock`)
    /// whatever the thread count, the tile it falls in or its row's position, so results do not depend on batching.
    /// Rows are split into equal tiles (16 rows: two of 8, not 12 + 4), and each tile size has its own copy of the
    /// loop, so no multiply-add is spent on rows that are not stored.
    enum AVX512GEMM {
        /// Depth of a k-block: two panels of 256 × 16 floats are 32 KB, inside a 48 KB L1.
        static let depthBlock = 256
        /// Largest micro-tile height.
        static let tileRows = 12
        /// Rows of `x` per block (kept in L2 while the panels go by).
        static let rowBlock = 240
        /// Below this many multiply-adds a second thread costs more than it saves.
        static let parallelThreshold = 65_536
        /// Work items per worker thread in a parallel product.
        static let chunksPerWorker = 4

        /// Runs the product, splitting pairs of panels across up to `threads` workers.
        static func run(
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
            let pairs = (panels + 1) / 2
            let workers = threads > 1 && m * w.k * w.n >= parallelThreshold ? min(threads, pairs) : 1
            if workers == 1 {
                panelRange(x: x, ldx: ldx, rows: m, weights: w, out: out, ldo: ldo, accumulate: accumulate, panels: 0..<panels)
                return
            }
            let chunks = min(pairs, workers * chunksPerWorker)
            let px = WorkerPointer(x), po = WorkerPointer(out)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = 2 * (pairs * c / chunks), hi = min(panels, 2 * (pairs * (c + 1) / chunks))
                panelRange(x: px.raw, ldx: ldx, rows: m, weights: w, out: po.raw, ldo: ldo, accumulate: accumulate, panels: lo..<hi)
            }
        }

        /// One worker's share: all rows, the columns of `panels`, two panels at a time.
        static func panelRange(
            x: UnsafePointer<Float>, ldx: Int, rows m: Int, weights w: PanelMatrix,
            out: UnsafeMutablePointer<Float>, ldo: Int, accumulate: Bool, panels: Range<Int>
        ) {
            let k = w.k
            guard m > 0, k > 0, !panels.isEmpty else { return }
            let kBlocks = (k + depthBlock - 1) / depthBlock
            let kc = (k + kBlocks - 1) / kBlocks
            let width = PanelMatrix.width
            var k0 = 0
            while k0 < k {
                let depth = min(kc, k - k0)
                let first = k0 == 0
                var i0 = 0
                while i0 < m {
                    let iEnd = min(m, i0 + rowBlock)
                    let blockRows = iEnd - i0
                    let tiles = (blockRows + tileRows - 1) / tileRows
                    var panel = panels.lowerBound
                    while panel < panels.upperBound {
                        let pair = panel + 1 < panels.upperBound
                        let j0 = panel * width
                        let cols = min(pair ? 2 * width : width, w.n - j0)
                        let wp = w.pointer + panel * k * width + k0 * width
                        let bias = first ? w.bias.map { $0 + j0 } : nil
                        let loadOut = accumulate || !first
                        var i = i0
                        for t in 0..<tiles {
                            // Tile t covers rows [blockRows·t/tiles, blockRows·(t+1)/tiles): sizes differ by at most one.
                            let next = i0 + blockRows * (t + 1) / tiles
                            dispatchTile(
                                rows: next - i, pair: pair, x: x + i * ldx + k0, ldx: ldx, depth: depth,
                                w0: wp, w1: wp + k * width, cols: cols, bias: bias,
                                out: out + i * ldo + j0, ldo: ldo, loadOut: loadOut)
                            i = next
                        }
                        panel += 2
                    }
                    i0 = iEnd
                }
                k0 += depth
            }
        }

        /// Calls the copy of `tile` compiled for this many rows (1...12) and one or two panels.
        @inline(__always)
        static func dispatchTile(
            rows: Int, pair: Bool, x: UnsafePointer<Float>, ldx: Int, depth: Int,
            w0: UnsafePointer<Float>, w1: UnsafePointer<Float>, cols: Int, bias: UnsafePointer<Float>?,
            out: UnsafeMutablePointer<Float>, ldo: Int, loadOut: Bool
        ) {
            if pair {
                switch rows {
                case 12:
                    tile(
                        rows: 12, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 11:
                    tile(
                        rows: 11, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 10:
                    tile(
                        rows: 10, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 9:
                    tile(
                        rows: 9, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 8:
                    tile(
                        rows: 8, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 7:
                    tile(
                        rows: 7, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 6:
                    tile(
                        rows: 6, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 5:
                    tile(
                        rows: 5, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 4:
                    tile(
                        rows: 4, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 3:
                    tile(
                        rows: 3, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 2:
                    tile(
                        rows: 2, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                default:
                    tile(
                        rows: 1, pair: true, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                }
            } else {
                switch rows {
                case 12:
                    tile(
                        rows: 12, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 11:
                    tile(
                        rows: 11, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 10:
                    tile(
                        rows: 10, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 9:
                    tile(
                        rows: 9, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 8:
                    tile(
                        rows: 8, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 7:
                    tile(
                        rows: 7, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 6:
                    tile(
                        rows: 6, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 5:
                    tile(
                        rows: 5, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 4:
                    tile(
                        rows: 4, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 3:
                    tile(
                        rows: 3, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                case 2:
                    tile(
                        rows: 2, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                default:
                    tile(
                        rows: 1, pair: false, x: x, ldx: ldx, depth: depth, w0: w0, w1: w1, cols: cols, bias: bias, out: out, ldo: ldo,
                        loadOut: loadOut)
                }
            }
        }

        /// `rows × 32` outputs (`rows × 16` without `pair`) over `depth` steps; `rows` and `pair` are constants at
        /// every call, so the guards below fold away and each copy keeps only its own accumulators. Columns past
        /// `cols` are computed on the panels' zero padding and not stored.
        @inline(__always)
        static func tile(
            rows: Int, pair: Bool, x: UnsafePointer<Float>, ldx: Int, depth: Int,
            w0: UnsafePointer<Float>, w1: UnsafePointer<Float>, cols: Int, bias: UnsafePointer<Float>?,
            out: UnsafeMutablePointer<Float>, ldo: Int, loadOut: Bool
        ) {
            var b0 = SIMD16<Float>(repeating: 0), b1 = SIMD16<Float>(repeating: 0)
            if let bias { b0 = load16(bias); if pair { b1 = load16(bias + 16) } }
            var c0a = b0, c0b = b1
            var c1a = b0, c1b = b1
            var c2a = b0, c2b = b1
            var c3a = b0, c3b = b1
            var c4a = b0, c4b = b1
            var c5a = b0, c5b = b1
            var c6a = b0, c6b = b1
            var c7a = b0, c7b = b1
            var c8a = b0, c8b = b1
            var c9a = b0, c9b = b1
            var c10a = b0, c10b = b1
            var c11a = b0, c11b = b1
            let x0 = x
            let x1 = x + 1 * ldx
            let x2 = x + 2 * ldx
            let x3 = x + 3 * ldx
            let x4 = x + 4 * ldx
            let x5 = x + 5 * ldx
            let x6 = x + 6 * ldx
            let x7 = x + 7 * ldx
            let x8 = x + 8 * ldx
            let x9 = x + 9 * ldx
            let x10 = x + 10 * ldx
            let x11 = x + 11 * ldx
            if loadOut {
                addRow(&c0a, &c0b, out, cols: cols, pair: pair)
                if rows > 1 { addRow(&c1a, &c1b, out + 1 * ldo, cols: cols, pair: pair) }
                if rows > 2 { addRow(&c2a, &c2b, out + 2 * ldo, cols: cols, pair: pair) }
                if rows > 3 { addRow(&c3a, &c3b, out + 3 * ldo, cols: cols, pair: pair) }
                if rows > 4 { addRow(&c4a, &c4b, out + 4 * ldo, cols: cols, pair: pair) }
                if rows > 5 { addRow(&c5a, &c5b, out + 5 * ldo, cols: cols, pair: pair) }
                if rows > 6 { addRow(&c6a, &c6b, out + 6 * ldo, cols: cols, pair: pair) }
                if rows > 7 { addRow(&c7a, &c7b, out + 7 * ldo, cols: cols, pair: pair) }
                if rows > 8 { addRow(&c8a, &c8b, out + 8 * ldo, cols: cols, pair: pair) }
                if rows > 9 { addRow(&c9a, &c9b, out + 9 * ldo, cols: cols, pair: pair) }
                if rows > 10 { addRow(&c10a, &c10b, out + 10 * ldo, cols: cols, pair: pair) }
                if rows > 11 { addRow(&c11a, &c11b, out + 11 * ldo, cols: cols, pair: pair) }
            }
            var p = 0
            while p < depth {
                let wa = load16(w0 + p * 16)
                let wb = pair ? load16(w1 + p * 16) : SIMD16<Float>(repeating: 0)
                do { let a = SIMD16<Float>(repeating: x0[p]); c0a = c0a.addingProduct(a, wa); if pair { c0b = c0b.addingProduct(a, wb) } }
                if rows > 1 { let a = SIMD16<Float>(repeating: x1[p]); c1a = c1a.addingProduct(a, wa); if pair { c1b = c1b.addingProduct(a, wb) } }
                if rows > 2 { let a = SIMD16<Float>(repeating: x2[p]); c2a = c2a.addingProduct(a, wa); if pair { c2b = c2b.addingProduct(a, wb) } }
                if rows > 3 { let a = SIMD16<Float>(repeating: x3[p]); c3a = c3a.addingProduct(a, wa); if pair { c3b = c3b.addingProduct(a, wb) } }
                if rows > 4 { let a = SIMD16<Float>(repeating: x4[p]); c4a = c4a.addingProduct(a, wa); if pair { c4b = c4b.addingProduct(a, wb) } }
                if rows > 5 { let a = SIMD16<Float>(repeating: x5[p]); c5a = c5a.addingProduct(a, wa); if pair { c5b = c5b.addingProduct(a, wb) } }
                if rows > 6 { let a = SIMD16<Float>(repeating: x6[p]); c6a = c6a.addingProduct(a, wa); if pair { c6b = c6b.addingProduct(a, wb) } }
                if rows > 7 { let a = SIMD16<Float>(repeating: x7[p]); c7a = c7a.addingProduct(a, wa); if pair { c7b = c7b.addingProduct(a, wb) } }
                if rows > 8 { let a = SIMD16<Float>(repeating: x8[p]); c8a = c8a.addingProduct(a, wa); if pair { c8b = c8b.addingProduct(a, wb) } }
                if rows > 9 { let a = SIMD16<Float>(repeating: x9[p]); c9a = c9a.addingProduct(a, wa); if pair { c9b = c9b.addingProduct(a, wb) } }
                if rows > 10 {
                    let a = SIMD16<Float>(repeating: x10[p]); c10a = c10a.addingProduct(a, wa); if pair { c10b = c10b.addingProduct(a, wb) }
                }
                if rows > 11 {
                    let a = SIMD16<Float>(repeating: x11[p]); c11a = c11a.addingProduct(a, wa); if pair { c11b = c11b.addingProduct(a, wb) }
                }
                p += 1
            }
            storeRow(c0a, c0b, out, cols: cols, pair: pair)
            if rows > 1 { storeRow(c1a, c1b, out + 1 * ldo, cols: cols, pair: pair) }
            if rows > 2 { storeRow(c2a, c2b, out + 2 * ldo, cols: cols, pair: pair) }
            if rows > 3 { storeRow(c3a, c3b, out + 3 * ldo, cols: cols, pair: pair) }
            if rows > 4 { storeRow(c4a, c4b, out + 4 * ldo, cols: cols, pair: pair) }
            if rows > 5 { storeRow(c5a, c5b, out + 5 * ldo, cols: cols, pair: pair) }
            if rows > 6 { storeRow(c6a, c6b, out + 6 * ldo, cols: cols, pair: pair) }
            if rows > 7 { storeRow(c7a, c7b, out + 7 * ldo, cols: cols, pair: pair) }
            if rows > 8 { storeRow(c8a, c8b, out + 8 * ldo, cols: cols, pair: pair) }
            if rows > 9 { storeRow(c9a, c9b, out + 9 * ldo, cols: cols, pair: pair) }
            if rows > 10 { storeRow(c10a, c10b, out + 10 * ldo, cols: cols, pair: pair) }
            if rows > 11 { storeRow(c11a, c11b, out + 11 * ldo, cols: cols, pair: pair) }
        }

        @inline(__always)
        static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
            UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
        }

        @inline(__always)
        static func addRow(
            _ lo: inout SIMD16<Float>, _ hi: inout SIMD16<Float>, _ p: UnsafeMutablePointer<Float>,
            cols: Int, pair: Bool
        ) {
            if cols >= 32 {
                lo = lo + load16(p); if pair { hi = hi + load16(p + 16) }
            } else if cols >= 16 {
                lo = lo + load16(p)
                if pair { for l in 0..<(cols - 16) { hi[l] += p[16 + l] } }
            } else {
                for l in 0..<cols { lo[l] += p[l] }
            }
        }

        @inline(__always)
        static func storeRow(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, cols: Int, pair: Bool) {
            if cols >= 32 && pair {
                UnsafeMutableRawPointer(p).storeBytes(of: lo, as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(p + 16).storeBytes(of: hi, as: SIMD16<Float>.self)
            } else if cols >= 16 {
                UnsafeMutableRawPointer(p).storeBytes(of: lo, as: SIMD16<Float>.self)
                if pair { for l in 0..<(cols - 16) { p[16 + l] = hi[l] } }
            } else {
                for l in 0..<cols { p[l] = lo[l] }
            }
        }
    }
#endif
