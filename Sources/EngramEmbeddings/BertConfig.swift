import Foundation

/// The parts of a Hugging Face BERT `config.json` the encoder needs.
package struct BertConfig: Sendable, Equatable, Codable {
    package var vocabSize: Int
    package var hiddenSize: Int
    package var numHiddenLayers: Int
    package var numAttentionHeads: Int
    package var intermediateSize: Int
    package var maxPositionEmbeddings: Int
    package var typeVocabSize: Int
    package var layerNormEps: Float

    package init(
        vocabSize: Int, hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int, intermediateSize: Int,
        maxPositionEmbeddings: Int, typeVocabSize: Int = 2, layerNormEps: Float = 1e-12
    ) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
    }

    /// Parses and validates `config.json`, rejecting non-BERT architectures and unsupported options.
    package init(contentsOf url: URL) throws {
        guard let data = try? Data(contentsOf: url) else { throw EmbeddingError.fileNotFound(url.lastPathComponent) }
        try self.init(json: data)
    }

    package init(json data: Data) throws {
        guard let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EmbeddingError.invalidConfig("config.json is not a JSON object")
        }
        let modelType = obj["model_type"] as? String
        let architectures = obj["architectures"] as? [String] ?? []
        let bertLike = modelType == "bert" || (modelType == nil && architectures.contains { $0.hasPrefix("Bert") })
        guard bertLike else {
            throw EmbeddingError.unsupportedArchitecture("model_type \(modelType ?? "missing") \(architectures)")
        }
        if let act = obj["hidden_act"] as? String, act != "gelu" {
            throw EmbeddingError.unsupportedArchitecture("activation \(act); only exact gelu is supported")
        }
        if let pos = obj["position_embedding_type"] as? String, pos != "absolute" {
            throw EmbeddingError.unsupportedArchitecture("position embeddings \(pos); only absolute are supported")
        }
        func int(_ key: String, default value: Int? = nil) throws -> Int {
            if let n = (obj[key] as? NSNumber)?.intValue { return n }
            if let value { return value }
            throw EmbeddingError.invalidConfig("missing \(key)")
        }
        self.init(
            vocabSize: try int("vocab_size"),
            hiddenSize: try int("hidden_size"),
            numHiddenLayers: try int("num_hidden_layers"),
            numAttentionHeads: try int("num_attention_heads"),
            intermediateSize: try int("intermediate_size"),
            maxPositionEmbeddings: try int("max_position_embeddings", default: 512),
            typeVocabSize: try int("type_vocab_size", default: 2),
            layerNormEps: (obj["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12
        )
        try validate()
    }

    func validate() throws {
        let sizes = [vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize, maxPositionEmbeddings, typeVocabSize]
        guard sizes.allSatisfy({ $0 > 0 && $0 < 10_000_000 }) else {
            throw EmbeddingError.invalidConfig("sizes must be positive: \(sizes)")
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw EmbeddingError.invalidConfig("hidden_size \(hiddenSize) is not divisible by num_attention_heads \(numAttentionHeads)")
        }
    }

    /// The JSON text of this config (used to write test models).
    package func jsonData() throws -> Data {
        let obj: [String: Any] = [
            "model_type": "bert", "architectures": ["BertModel"], "hidden_act": "gelu",
            "vocab_size": vocabSize, "hidden_size": hiddenSize, "num_hidden_layers": numHiddenLayers,
            "num_attention_heads": numAttentionHeads, "intermediate_size": intermediateSize,
            "max_position_embeddings": maxPositionEmbeddings, "type_vocab_size": typeVocabSize,
            "layer_norm_eps": Double(layerNormEps), "position_embedding_type": "absolute",
        ]
        return try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
    }
}
