internal import EngramKernels
import Foundation

/// BERT weights, packed into GEMM panels, and the forward pass over packed sequences.
final class BertModel: Sendable {
    struct Layer: Sendable {
        let qkv: PackedMatrix // H → 3H (query | key | value), with bias
        let attnOut: PackedMatrix // H → H
        let ln1Gamma: FloatBuffer, ln1Beta: FloatBuffer
        let inter: PackedMatrix // H → I
        let out: PackedMatrix // I → H
        let ln2Gamma: FloatBuffer, ln2Beta: FloatBuffer
    }

    let config: BertConfig
    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    let tokenTypeEmbeddings: FloatBuffer
    let embLNGamma: FloatBuffer, embLNBeta: FloatBuffer
    let layers: [Layer]

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
        func linear(_ name: String, out: Int, in inDim: Int) throws -> PackedMatrix {
            PackedMatrix.linear(
                weight: try load(name + ".weight", [out, inDim]), bias: try load(name + ".bias", [out]),
                outputs: out, inputs: inDim)
        }

        wordEmbeddings = FloatBuffer(try load("embeddings.word_embeddings.weight", [config.vocabSize, h]))
        positionEmbeddings = FloatBuffer(try load("embeddings.position_embeddings.weight", [config.maxPositionEmbeddings, h]))
        tokenTypeEmbeddings = FloatBuffer(try load("embeddings.token_type_embeddings.weight", [config.typeVocabSize, h]))
        embLNGamma = FloatBuffer(try load("embeddings.LayerNorm.weight", [h]))
        embLNBeta = FloatBuffer(try load("embeddings.LayerNorm.bias", [h]))

        var layers: [Layer] = []
        for l in 0..<config.numHiddenLayers {
            let p = "encoder.layer.\(l)."
            // Q, K and V stacked into one 3H × H weight so one GEMM produces all three.
            var qkvWeight: [Float] = [], qkvBias: [Float] = []
            for name in ["query", "key", "value"] {
                qkvWeight += try load(p + "attention.self.\(name).weight", [h, h])
                qkvBias += try load(p + "attention.self.\(name).bias", [h])
            }
            layers.append(
                Layer(
                    qkv: PackedMatrix.linear(weight: qkvWeight, bias: qkvBias, outputs: 3 * h, inputs: h),
                    attnOut: try linear(p + "attention.output.dense", out: h, in: h),
                    ln1Gamma: FloatBuffer(try load(p + "attention.output.LayerNorm.weight", [h])),
                    ln1Beta: FloatBuffer(try load(p + "attention.output.LayerNorm.bias", [h])),
                    inter: try linear(p + "intermediate.dense", out: inter, in: h),
                    out: try linear(p + "output.dense", out: h, in: inter),
                    ln2Gamma: FloatBuffer(try load(p + "output.LayerNorm.weight", [h])),
                    ln2Beta: FloatBuffer(try load(p + "output.LayerNorm.bias", [h]))
                ))
        }
        self.layers = layers
    }

    /// Runs the encoder over several sequences at once and returns the last hidden states, one `[len × H]` array each.
    /// Sequences are packed row-wise (no padding): dense layers see all tokens in one GEMM, attention stays per sequence.
    func forward(_ sequences: [[Int32]], threads: Int, kernels: any EncoderKernels.Type) -> [[Float]] {
        forward(sequences, threads: threads, using: kernels)
    }

    private func forward<K: EncoderKernels>(_ sequences: [[Int32]], threads: Int, using _: K.Type) -> [[Float]] {
        let h = config.hiddenSize, inter = config.intermediateSize
        let lengths = sequences.map { min($0.count, config.maxPositionEmbeddings) }
        var ranges: [Range<Int>] = []
        var total = 0
        for len in lengths { ranges.append(total..<(total + len)); total += len }
        guard total > 0 else { return sequences.map { _ in [] } }

        let x = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: total * 3 * h)
        let ctx = UnsafeMutablePointer<Float>.allocate(capacity: total * h)
        let mid = UnsafeMutablePointer<Float>.allocate(capacity: total * inter)
        defer { x.deallocate(); qkv.deallocate(); ctx.deallocate(); mid.deallocate() }

        // Embeddings: word + position + token type 0, then layer norm.
        for (s, seq) in sequences.enumerated() {
            for t in 0..<lengths[s] {
                let row = x + (ranges[s].lowerBound + t) * h
                let id = Int(seq[t])
                let safeID = (id >= 0 && id < config.vocabSize) ? id : 0
                let we = wordEmbeddings.pointer + safeID * h
                let pe = positionEmbeddings.pointer + t * h
                let te = tokenTypeEmbeddings.pointer
                for i in 0..<h { row[i] = we[i] + pe[i] + te[i] }
            }
        }
        let eps = config.layerNormEps
        K.layerNorm(x, rows: total, width: h, gamma: embLNGamma.pointer, beta: embLNBeta.pointer, eps: eps)

        for layer in layers {
            K.gemm(x: x, ldx: h, rows: total, weights: layer.qkv.panels, out: qkv, ldo: 3 * h, accumulate: false, threads: threads)
            K.attention(qkv: qkv, ctx: ctx, sequences: ranges, heads: config.numAttentionHeads, hidden: h, threads: threads)
            // Residual connections are fused: the GEMM adds into x.
            K.gemm(x: ctx, ldx: h, rows: total, weights: layer.attnOut.panels, out: x, ldo: h, accumulate: true, threads: threads)
            K.layerNorm(x, rows: total, width: h, gamma: layer.ln1Gamma.pointer, beta: layer.ln1Beta.pointer, eps: eps)
            K.gemm(x: x, ldx: h, rows: total, weights: layer.inter.panels, out: mid, ldo: inter, accumulate: false, threads: threads)
            K.gelu(mid, count: total * inter, threads: threads)
            K.gemm(x: mid, ldx: inter, rows: total, weights: layer.out.panels, out: x, ldo: h, accumulate: true, threads: threads)
            K.layerNorm(x, rows: total, width: h, gamma: layer.ln2Gamma.pointer, beta: layer.ln2Beta.pointer, eps: eps)
        }

        return ranges.map { r in Array(UnsafeBufferPointer(start: x + r.lowerBound * h, count: r.count * h)) }
    }
}
