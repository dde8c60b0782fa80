import Foundation

/// What a text is, so the embedder can apply the model's instruction prefix for that kind.
package enum EmbeddingKind: String, Sendable, Codable, CaseIterable {
    case observation, code, learning, query, document
}

/// Turns texts into fixed-size vectors. Implemented by the local `BertEncoder` and `OpenAICompatibleEmbedder`.
package protocol Embedder: Sendable {
    /// Length of every returned vector.
    var dimensions: Int { get }
    /// Stable identifier of model and settings; stored beside vectors so a change triggers a re-embed.
    var modelID: String { get }
    /// Embeds `texts` in order; one vector per text.
    func embed(_ texts: [String], kind: EmbeddingKind) async throws -> [[Float]]
}

/// Per-kind text prepended before embedding (e.g. e5's "query: " / "passage: ", bge's query instruction).
package struct InstructionPrefixes: Sendable, Codable, Equatable {
    package var byKind: [EmbeddingKind: String]

    package init(_ byKind: [EmbeddingKind: String] = [:]) {
        self.byKind = byKind
    }

    /// No prefixes: right for all-MiniLM-L6-v2 and gte-small.
    package static let none = InstructionPrefixes()

    /// Returns `text` with the prefix for `kind` applied.
    package func apply(_ text: String, kind: EmbeddingKind) -> String {
        guard let prefix = byKind[kind], !prefix.isEmpty else { return text }
        return prefix + text
    }
}

/// Post-processing applied to every vector.
package struct EmbeddingOptions: Sendable, Equatable {
    /// Per-kind prefixes.
    package var prefixes: InstructionPrefixes
    /// Matryoshka truncation: keep only the first N dimensions (then renormalise). Nil keeps all.
    package var truncateDimensions: Int?
    /// L2-normalise the output (sentence-transformers' Normalize module). Cosine equals dot product afterwards.
    package var normalize: Bool

    package init(prefixes: InstructionPrefixes = .none, truncateDimensions: Int? = nil, normalize: Bool = true) {
        self.prefixes = prefixes
        self.truncateDimensions = truncateDimensions
        self.normalize = normalize
    }

    /// Applies truncation and normalisation to one pooled vector.
    func finish(_ vector: [Float]) -> [Float] {
        var v = vector
        if let n = truncateDimensions, n > 0, n < v.count {
            v = Array(v[0..<n])
        }
        if normalize || truncateDimensions != nil {
            VectorMath.normalize(&v)
        }
        return v
    }

    /// Output length for a model with `modelDimensions` hidden size.
    func outputDimensions(for modelDimensions: Int) -> Int {
        if let n = truncateDimensions, n > 0, n < modelDimensions { return n }
        return modelDimensions
    }
}
