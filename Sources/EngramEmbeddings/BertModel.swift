import Foundation

/// BERT weights, pre-transposed for the GEMM kernel, and the forward pass over packed sequences.
final class BertModel: Sendable {
    struct Layer: Sendable {
        let qkvT: FloatBuffer      // H × 3H (query | key | value)
        let qkvBias: FloatBuffer   // 3H
        let attnOutT: FloatBuffer  // H × H
        let attnOutBias: FloatBuffer
        let ln1Gamma: FloatBuffer, ln1Beta: FloatBuffer
        let interT: FloatBuffer    // H × I
        let interBias: FloatBuffer
        let outT: FloatBuffer      // I × H
        let outBias: FloatBuffer
        let ln2Gamma: FloatBuffer, ln2Beta: FloatBuffer
    }

    let config: BertConfig
    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    let tokenTypeEmbeddings: FloatBuffer
    let embLNGamma: FloatBuffer, embLNBeta: FloatBuffer
    let layers: [Layer]

    @_optimize(speed)
    init(config: BertConfig, weights file: SafeTensorsFile) throws {
        self.config = config
        let h = config.hiddenSize, inter = config.intermediateSize
        // Checkpoints saved from BertForMaskedLM & co. prefix everything with "bert.".
        let prefix = file.tensors["embeddings.word_embeddings.weight"] != nil ? "" : "bert."

        func load(_ name: String, _ shape: [Int]) throws -> [Float] {
            let full = prefix + name
            guard let info = file.tensors[full] else { throw EmbeddingError.missingTensor(full) }
            guard info.shape == shape else { throw EmbeddingError.tensorShapeMismatch(name: full, expected: shape, actual: info.shape) }
            return try file.floats(full)
        }
        func linearT(_ name: String, out: Int, in inDim: Int) throws -> FloatBuffer {
            FloatBuffer.transposed(try load(name + ".weight", [out, inDim]), rows: out, cols: inDim)
        }

        wordEmbeddings = FloatBuffer(try load("embeddings.word_embeddings.weight", [config.vocabSize, h]))
        positionEmbeddings = FloatBuffer(try load("embeddings.position_embeddings.weight", [config.maxPositionEmbeddings, h]))
        tokenTypeEmbeddings = FloatBuffer(try load("embeddings.token_type_embeddings.weight", [config.typeVocabSize, h]))
        embLNGamma = FloatBuffer(try load("embeddings.LayerNorm.weight", [h]))
        embLNBeta = FloatBuffer(try load("embeddings.LayerNorm.bias", [h]))

        var layers: [Layer] = []
        for l in 0..<config.numHiddenLayers {
            let p = "encoder.layer.\(l)."
            // Fuse Q, K, V into one H × 3H matrix so one GEMM produces all three.
            let qkvT = FloatBuffer(count: h * 3 * h)
            var qkvBias: [Float] = []
            for (part, name) in ["query", "key", "value"].enumerated() {
                let w = try load(p + "attention.self.\(name).weight", [h, h])
                for o in 0..<h {
                    for i in 0..<h { qkvT.pointer[i * 3 * h + part * h + o] = w[o * h + i] }
                }
                qkvBias += try load(p + "attention.self.\(name).bias", [h])
            }
            layers.append(Layer(
                qkvT: qkvT, qkvBias: FloatBuffer(qkvBias),
                attnOutT: try linearT(p + "attention.output.dense", out: h, in: h),
                attnOutBias: FloatBuffer(try load(p + "attention.output.dense.bias", [h])),
                ln1Gamma: FloatBuffer(try load(p + "attention.output.LayerNorm.weight", [h])),
                ln1Beta: FloatBuffer(try load(p + "attention.output.LayerNorm.bias", [h])),
                interT: try linearT(p + "intermediate.dense", out: inter, in: h),
                interBias: FloatBuffer(try load(p + "intermediate.dense.bias", [inter])),
                outT: try linearT(p + "output.dense", out: h, in: inter),
                outBias: FloatBuffer(try load(p + "output.dense.bias", [h])),
                ln2Gamma: FloatBuffer(try load(p + "output.LayerNorm.weight", [h])),
                ln2Beta: FloatBuffer(try load(p + "output.LayerNorm.bias", [h]))
            ))
        }
        self.layers = layers
    }

    /// Runs the encoder over several sequences at once and returns the last hidden states, one `[len × H]` array each.
    /// Sequences are packed row-wise (no padding): dense layers see all tokens in one GEMM, attention stays per sequence.
    @_optimize(speed)
    func forward(_ sequences: [[Int32]], threads: Int) -> [[Float]] {
        let h = config.hiddenSize, inter = config.intermediateSize
        let heads = config.numAttentionHeads, d = h / heads
        let lengths = sequences.map { min($0.count, config.maxPositionEmbeddings) }
        var offsets: [Int] = []
        var total = 0
        for len in lengths { offsets.append(total); total += len }
        guard total > 0 else { return sequences.map { _ in [] } }

        let x = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: total * 3 * h)
        let ctx = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let mid = UnsafeMutablePointer<Float>.allocate(capacity: total * inter)
        defer { x.deallocate(); qkv.deallocate(); ctx.deallocate(); tmp.deallocate(); mid.deallocate() }

        // Embeddings: word + position + token type 0, then layer norm.
        for (s, seq) in sequences.enumerated() {
            for t in 0..<lengths[s] {
                let row = x + (offsets[s] + t) * h
                let id = Int(seq[t])
                let safeID = (id >= 0 && id < config.vocabSize) ? id : 0
                let we = wordEmbeddings.pointer + safeID * h
                let pe = positionEmbeddings.pointer + t * h
                let te = tokenTypeEmbeddings.pointer
                for i in 0..<h { row[i] = we[i] + pe[i] + te[i] }
            }
        }
        Kernels.layerNorm(x, rows: total, n: h, gamma: embLNGamma.pointer, beta: embLNBeta.pointer, eps: config.layerNormEps)

        let scale = 1 / Float(d).squareRoot()
        let maxLen = lengths.max() ?? 0
        // Per-(sequence, head) work items for attention; each owns scratch space and a disjoint slice of ctx.
        var items: [(seq: Int, head: Int)] = []
        for s in lengths.indices where lengths[s] > 0 { for hd in 0..<heads { items.append((s, hd)) } }
        let scratchPer = maxLen * maxLen + 2 * maxLen * d
        let workers = max(1, min(threads, items.count))

        for layer in layers {
            Kernels.gemm(x: x, ldx: h, m: total, k: h, w: layer.qkvT.pointer, ldw: 3 * h, n: 3 * h,
                         bias: layer.qkvBias.pointer, out: qkv, ldo: 3 * h, threads: threads)
            attention(qkv: qkv, ctx: ctx, items: items, lengths: lengths, offsets: offsets,
                      d: d, h: h, scale: scale, scratchPer: scratchPer, workers: workers)
            Kernels.gemm(x: ctx, ldx: h, m: total, k: h, w: layer.attnOutT.pointer, ldw: h, n: h,
                         bias: layer.attnOutBias.pointer, out: tmp, ldo: h, threads: threads)
            addInPlace(x, tmp, count: total * h)
            Kernels.layerNorm(x, rows: total, n: h, gamma: layer.ln1Gamma.pointer, beta: layer.ln1Beta.pointer, eps: config.layerNormEps)
            Kernels.gemm(x: x, ldx: h, m: total, k: h, w: layer.interT.pointer, ldw: inter, n: inter,
                         bias: layer.interBias.pointer, out: mid, ldo: inter, threads: threads)
            geluParallel(mid, count: total * inter, threads: threads)
            Kernels.gemm(x: mid, ldx: inter, m: total, k: inter, w: layer.outT.pointer, ldw: h, n: h,
                         bias: layer.outBias.pointer, out: tmp, ldo: h, threads: threads)
            addInPlace(x, tmp, count: total * h)
            Kernels.layerNorm(x, rows: total, n: h, gamma: layer.ln2Gamma.pointer, beta: layer.ln2Beta.pointer, eps: config.layerNormEps)
        }

        return lengths.indices.map { s in
            Array(UnsafeBufferPointer(start: x + offsets[s] * h, count: lengths[s] * h))
        }
    }

    /// softmax(Q Kᵀ / √d) V for every (sequence, head), as two GEMMs each, spread over the workers.
    @_optimize(speed)
    private func attention(qkv: UnsafeMutablePointer<Float>, ctx: UnsafeMutablePointer<Float>,
                           items: [(seq: Int, head: Int)], lengths: [Int], offsets: [Int],
                           d: Int, h: Int, scale: Float, scratchPer: Int, workers: Int) {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchPer * workers)
        defer { scratch.deallocate() }
        let pq = SendablePointer(qkv), pc = SendablePointer(ctx), ps = SendablePointer(scratch)
        let run: @Sendable (Int) -> Void = { w in
            var idx = w
            while idx < items.count {
                let (s, hd) = items[idx]
                let len = lengths[s]
                let base = pq.raw + offsets[s] * 3 * h
                let scores = ps.raw + w * scratchPer
                let kT = scores + len * len
                // Kᵀ for this head, d × len, so QKᵀ is a plain row-major GEMM.
                for t in 0..<len {
                    let krow = base + t * 3 * h + h + hd * d
                    for c in 0..<d { kT[c * len + t] = krow[c] }
                }
                Kernels.gemmColumns(x: base + hd * d, ldx: 3 * h, m: len, k: d, w: kT, ldw: len, columns: 0..<len,
                                    bias: nil, out: scores, ldo: len)
                Kernels.softmaxRows(scores, rows: len, n: len, scale: scale)
                Kernels.gemmColumns(x: scores, ldx: len, m: len, k: len, w: base + 2 * h + hd * d, ldw: 3 * h,
                                    columns: 0..<d, bias: nil, out: pc.raw + offsets[s] * h + hd * d, ldo: h)
                idx += workers
            }
        }
        if workers == 1 {
            run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: run)
        }
    }

    @_optimize(speed)
    private func addInPlace(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            Kernels.store8(Kernels.load8(a + i) + Kernels.load8(b + i), a + i)
            i += 8
        }
        while i < count { a[i] += b[i]; i += 1 }
    }

    private func geluParallel(_ p: UnsafeMutablePointer<Float>, count: Int, threads: Int) {
        guard threads > 1, count >= 16_384 else { Kernels.gelu(p, count: count); return }
        let chunk = ((count / threads) + 7) / 8 * 8
        let sp = SendablePointer(p)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lo = t * chunk
            let hi = min(count, lo + chunk)
            if lo < hi { Kernels.gelu(sp.raw + lo, count: hi - lo) }
        }
    }
}
