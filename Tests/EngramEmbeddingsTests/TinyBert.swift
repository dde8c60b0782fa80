import EngramTestSupport
import Foundation

@testable import EngramEmbeddings

/// A tiny random BERT (EngramTestSupport writes it) in a temp folder, for fast unit tests, and a scalar oracle.
struct TinyBert {
    static let vocabTokens: [String] = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "quick", "brown", "fox",
        "jump", "##s", "##ed", "over", "lazy", "dog", ".", ",", "!", "a", "b", "c", "hello", "world", "code", "def",
        "(", ")", ":", "=", "x", "y", "1", "2", "cafe", "naive", "我", "们", "##ing", "test", "un", "##able",
    ]

    let directory: URL
    let config: BertConfig

    init(
        hidden: Int = 32, layers: Int = 2, heads: Int = 4, intermediate: Int = 64, maxPositions: Int = 64,
        maxSeqLength: Int = 24, vocab: [String] = Self.vocabTokens, seed: UInt64 = 42
    ) throws {
        directory = try TestSupport.temporaryDirectory()
        config = try TinyBertModel.write(
            to: directory, vocab: vocab, hidden: hidden, layers: layers, heads: heads,
            intermediate: intermediate, maxPositions: maxPositions, maxSeqLength: maxSeqLength,
            lowerCase: false, seed: seed)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// A straightforward scalar re-implementation of the BERT forward pass, as an independent oracle.
    static func naiveForward(ids: [Int32], file: SafeTensorsFile, config c: BertConfig) throws -> [[Float]] {
        let h = c.hiddenSize, d = h / c.numAttentionHeads
        func t(_ n: String) throws -> [Float] { try file.floats(n) }
        func linear(_ x: [[Float]], _ name: String, out: Int) throws -> [[Float]] {
            let w = try t(name + ".weight"), b = try t(name + ".bias")
            return x.map { row in
                (0..<out).map { o in
                    var s = Double(b[o])
                    for i in 0..<row.count { s += Double(row[i]) * Double(w[o * row.count + i]) }
                    return Float(s)
                }
            }
        }
        func norm(_ x: [[Float]], _ name: String) throws -> [[Float]] {
            let g = try t(name + ".weight"), b = try t(name + ".bias")
            return x.map { row in
                let mean = row.reduce(0, +) / Float(row.count)
                let v = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(row.count)
                return row.indices.map { (row[$0] - mean) / (v + c.layerNormEps).squareRoot() * g[$0] + b[$0] }
            }
        }
        let we = try t("embeddings.word_embeddings.weight"), pe = try t("embeddings.position_embeddings.weight")
        let te = try t("embeddings.token_type_embeddings.weight")
        var x = ids.enumerated().map { (pos, id) in (0..<h).map { we[Int(id) * h + $0] + pe[pos * h + $0] + te[$0] } }
        x = try norm(x, "embeddings.LayerNorm")
        for l in 0..<c.numHiddenLayers {
            let p = "encoder.layer.\(l)."
            let q = try linear(x, p + "attention.self.query", out: h)
            let k = try linear(x, p + "attention.self.key", out: h)
            let v = try linear(x, p + "attention.self.value", out: h)
            var ctx = [[Float]](repeating: [Float](repeating: 0, count: h), count: x.count)
            for head in 0..<c.numAttentionHeads {
                for i in x.indices {
                    var scores = x.indices.map { j in
                        (0..<d).map { q[i][head * d + $0] * k[j][head * d + $0] }.reduce(0, +) / Float(d).squareRoot()
                    }
                    let m = scores.max() ?? 0
                    scores = scores.map { Foundation.exp($0 - m) }
                    let sum = scores.reduce(0, +)
                    for j in x.indices { for e in 0..<d { ctx[i][head * d + e] += scores[j] / sum * v[j][head * d + e] } }
                }
            }
            let attn = try linear(ctx, p + "attention.output.dense", out: h)
            x = try norm(x.indices.map { i in (0..<h).map { x[i][$0] + attn[i][$0] } }, p + "attention.output.LayerNorm")
            var mid = try linear(x, p + "intermediate.dense", out: c.intermediateSize)
            mid = mid.map { $0.map { 0.5 * $0 * (1 + Foundation.erf($0 / Float(2).squareRoot())) } }
            let out = try linear(mid, p + "output.dense", out: h)
            x = try norm(x.indices.map { i in (0..<h).map { x[i][$0] + out[i][$0] } }, p + "output.LayerNorm")
        }
        return x
    }
}
