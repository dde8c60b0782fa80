import Dispatch

/// Multi-head self-attention over packed sequences, `softmax(Q Kᵀ / √d) V` per (sequence, head), as two GEMMs
/// each; generic over the arithmetic like `GEMM`.
package enum Attention<A: KernelArithmetic> {
    /// `qkv` holds, for every token row, query | key | value (`3 * hidden` floats); `ctx` receives `hidden` floats
    /// per row. `sequences` are the row ranges of each sequence (attention never crosses them).
    /// (sequence, head) pairs are spread over up to `threads` workers.
    @inlinable
    package static func run(
        qkv: UnsafePointer<Float>, ctx: UnsafeMutablePointer<Float>, sequences: [Range<Int>],
        heads: Int, hidden h: Int, threads: Int
    ) {
        guard heads > 0, h % heads == 0 else { return }
        let d = h / heads
        // Work item i is head i % heads of sequence i / heads (plain arithmetic: this code is compiled once per
        // instruction set, and must not pull in generic standard-library code the linker could share between them).
        let itemCount = sequences.count * heads
        let maxLen = longest(sequences)
        guard maxLen > 0 else { return }
        let keysCount = PanelMatrix.storageCount(k: d, n: maxLen)
        let valuesCount = PanelMatrix.storageCount(k: maxLen, n: d)
        let scratchPer = maxLen * maxLen + keysCount + valuesCount
        // A few work items per thread, each with its own scratch space and a stride through the (sequence, head)
        // pairs, so a worker that wakes late still finds work.
        let pieces = threads > 1 ? Swift.min(threads * 4, itemCount) : 1
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchPer * pieces)
        defer { scratch.deallocate() }
        let scale = 1 / Float(d).squareRoot()
        let pq = WorkerPointer(qkv), pc = WorkerPointer(ctx), ps = WorkerPointer(scratch)
        let work: @Sendable (Int) -> Void = { w in
            let scores = ps.raw + w * scratchPer
            let keys = scores + maxLen * maxLen
            let values = keys + keysCount
            var idx = w
            while idx < itemCount {
                let rows = sequences[idx / heads], hd = idx % heads
                let len = rows.count
                if len == 0 { idx += pieces; continue }
                let base = pq.raw + rows.lowerBound * 3 * h
                // Kᵀ (d × len): element (c, t) is key c of token t.
                PanelMatrix.pack(base + h + hd * d, rowStride: 1, columnStride: 3 * h, k: d, n: len, into: keys)
                A.panelProduct(
                    x: base + hd * d, ldx: 3 * h, rows: len,
                    weights: PanelMatrix(pointer: keys, k: d, n: len),
                    out: scores, ldo: len, accumulate: false, panels: 0..<(len + 15) / 16)
                Elementwise<A>.softmaxRows(scores, rows: len, width: len, scale: scale)
                // V (len × d), row-major with stride 3h.
                PanelMatrix.pack(base + 2 * h + hd * d, rowStride: 3 * h, columnStride: 1, k: len, n: d, into: values)
                A.panelProduct(
                    x: scores, ldx: len, rows: len,
                    weights: PanelMatrix(pointer: values, k: len, n: d),
                    out: pc.raw + rows.lowerBound * h + hd * d, ldo: h, accumulate: false,
                    panels: 0..<(d + 15) / 16)
                idx += pieces
            }
        }
        if pieces == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: pieces, execute: work)
        }
    }

    @inlinable
    static func longest(_ sequences: [Range<Int>]) -> Int {
        var longest = 0
        for r in sequences where r.count > longest { longest = r.count }
        return longest
    }
}
