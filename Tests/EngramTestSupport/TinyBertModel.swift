import EngramEmbeddings
import Foundation

/// A tiny random BERT in the sentence-transformers folder layout (model.safetensors, config.json, vocab.txt,
/// sentence_bert_config.json, 1_Pooling/config.json), so tests run the real encoder without a download.
/// Weights come from a fixed-seed LCG: the same arguments write the same model. Its vectors carry no meaning.
package enum TinyBertModel {
    /// Writes the model's files into `directory` (created if missing) and returns its configuration.
    @discardableResult
    package static func write(
        to directory: URL, vocab: [String], hidden: Int = 32, layers: Int = 2, heads: Int = 4,
        intermediate: Int = 64, maxPositions: Int = 64, maxSeqLength: Int = 24, lowerCase: Bool = false,
        seed: UInt64 = 42
    ) throws -> BertConfig {
        let pooling = directory.appendingPathComponent("1_Pooling")
        try FileManager.default.createDirectory(at: pooling, withIntermediateDirectories: true)
        let config = BertConfig(
            vocabSize: vocab.count, hiddenSize: hidden, numHiddenLayers: layers, numAttentionHeads: heads,
            intermediateSize: intermediate, maxPositionEmbeddings: maxPositions)
        var rng = seed
        func random(_ n: Int, scale: Float = 0.2, offset: Float = 0) -> [Float] {
            (0..<n).map { _ in
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return offset + scale * (Float(rng >> 40) / Float(1 << 24) * 2 - 1)
            }
        }
        var tensors: [(name: String, shape: [Int], values: [Float])] = [
            ("embeddings.word_embeddings.weight", [vocab.count, hidden], random(vocab.count * hidden, scale: 1)),
            ("embeddings.position_embeddings.weight", [maxPositions, hidden], random(maxPositions * hidden)),
            ("embeddings.token_type_embeddings.weight", [2, hidden], random(2 * hidden)),
            ("embeddings.LayerNorm.weight", [hidden], random(hidden, scale: 0.1, offset: 1)),
            ("embeddings.LayerNorm.bias", [hidden], random(hidden, scale: 0.1)),
        ]
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            for name in ["query", "key", "value"] {
                tensors.append((p + "attention.self.\(name).weight", [hidden, hidden], random(hidden * hidden)))
                tensors.append((p + "attention.self.\(name).bias", [hidden], random(hidden, scale: 0.05)))
            }
            tensors += [
                (p + "attention.output.dense.weight", [hidden, hidden], random(hidden * hidden)),
                (p + "attention.output.dense.bias", [hidden], random(hidden, scale: 0.05)),
                (p + "attention.output.LayerNorm.weight", [hidden], random(hidden, scale: 0.1, offset: 1)),
                (p + "attention.output.LayerNorm.bias", [hidden], random(hidden, scale: 0.1)),
                (p + "intermediate.dense.weight", [intermediate, hidden], random(intermediate * hidden)),
                (p + "intermediate.dense.bias", [intermediate], random(intermediate, scale: 0.05)),
                (p + "output.dense.weight", [hidden, intermediate], random(hidden * intermediate)),
                (p + "output.dense.bias", [hidden], random(hidden, scale: 0.05)),
                (p + "output.LayerNorm.weight", [hidden], random(hidden, scale: 0.1, offset: 1)),
                (p + "output.LayerNorm.bias", [hidden], random(hidden, scale: 0.1)),
            ]
        }
        try SafeTensorsFile.encode(tensors).write(to: directory.appendingPathComponent("model.safetensors"))
        try config.jsonData().write(to: directory.appendingPathComponent("config.json"))
        try (vocab.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try #"{"max_seq_length": \#(maxSeqLength), "do_lower_case": \#(lowerCase)}"#
            .write(to: directory.appendingPathComponent("sentence_bert_config.json"), atomically: true, encoding: .utf8)
        try #"{"word_embedding_dimension": \#(hidden), "pooling_mode_mean_tokens": true, "pooling_mode_cls_token": false}"#
            .write(to: pooling.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        return config
    }
}
