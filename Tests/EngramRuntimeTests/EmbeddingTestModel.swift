import EngramEmbeddings
import Foundation

/// A tiny random BERT in the sentence-transformers folder layout (the approach of the embeddings tests' TinyBert),
/// so runtime tests exercise the real encoder without a download. Its vectors carry no meaning.
enum EmbeddingTestModel {
    static let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "edited", "read", "ran", "the", "auth", "cache", "token",
                        "refresh", "test", "tests", "file", "py", ".", ":", ",", "(", ")", "added", "fixed", "bug", "session"]

    /// Writes the model folder under `parent/name` and returns it. `seed` changes every weight.
    static func write(to parent: URL, name: String, hidden: Int = 16, seed: UInt64 = 7) throws -> URL {
        let dir = parent.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        let inter = hidden * 2, positions = 64
        let config = BertConfig(vocabSize: vocab.count, hiddenSize: hidden, numHiddenLayers: 1, numAttentionHeads: 2,
                                intermediateSize: inter, maxPositionEmbeddings: positions)
        var rng = seed
        func random(_ n: Int, scale: Float = 0.2, offset: Float = 0) -> [Float] {
            (0..<n).map { _ in
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                return offset + scale * (Float(rng >> 40) / Float(1 << 24) * 2 - 1)
            }
        }
        var tensors: [(name: String, shape: [Int], values: [Float])] = [
            ("embeddings.word_embeddings.weight", [vocab.count, hidden], random(vocab.count * hidden, scale: 1)),
            ("embeddings.position_embeddings.weight", [positions, hidden], random(positions * hidden)),
            ("embeddings.token_type_embeddings.weight", [2, hidden], random(2 * hidden)),
            ("embeddings.LayerNorm.weight", [hidden], random(hidden, scale: 0.1, offset: 1)),
            ("embeddings.LayerNorm.bias", [hidden], random(hidden, scale: 0.1)),
        ]
        let p = "encoder.layer.0."
        for part in ["query", "key", "value"] {
            tensors.append((p + "attention.self.\(part).weight", [hidden, hidden], random(hidden * hidden)))
            tensors.append((p + "attention.self.\(part).bias", [hidden], random(hidden, scale: 0.05)))
        }
        tensors += [
            (p + "attention.output.dense.weight", [hidden, hidden], random(hidden * hidden)),
            (p + "attention.output.dense.bias", [hidden], random(hidden, scale: 0.05)),
            (p + "attention.output.LayerNorm.weight", [hidden], random(hidden, scale: 0.1, offset: 1)),
            (p + "attention.output.LayerNorm.bias", [hidden], random(hidden, scale: 0.1)),
            (p + "intermediate.dense.weight", [inter, hidden], random(inter * hidden)),
            (p + "intermediate.dense.bias", [inter], random(inter, scale: 0.05)),
            (p + "output.dense.weight", [hidden, inter], random(hidden * inter)),
            (p + "output.dense.bias", [hidden], random(hidden, scale: 0.05)),
            (p + "output.LayerNorm.weight", [hidden], random(hidden, scale: 0.1, offset: 1)),
            (p + "output.LayerNorm.bias", [hidden], random(hidden, scale: 0.1)),
        ]
        try SafeTensorsFile.encode(tensors).write(to: dir.appendingPathComponent("model.safetensors"))
        try config.jsonData().write(to: dir.appendingPathComponent("config.json"))
        try (vocab.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try #"{"max_seq_length": 48, "do_lower_case": true}"#
            .write(to: dir.appendingPathComponent("sentence_bert_config.json"), atomically: true, encoding: .utf8)
        try #"{"word_embedding_dimension": \#(hidden), "pooling_mode_mean_tokens": true}"#
            .write(to: dir.appendingPathComponent("1_Pooling/config.json"), atomically: true, encoding: .utf8)
        return dir
    }
}
