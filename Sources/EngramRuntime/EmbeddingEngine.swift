import EngramEmbeddings
import Foundation

/// What the runtime embeds with, synchronously (inside a write transaction, a search, a reindex batch):
/// the local `BertEncoder` or an `OpenAICompatibleEmbedder`, chosen by `embeddings.provider`.
package protocol EmbeddingEngine: Sendable {
    /// Stored beside every vector: a change of provider or model makes old vectors stale.
    var modelID: String { get }
    /// Length of every vector; 0 when only the server's first answer tells.
    var dimensions: Int { get }
    /// One vector per text, in order. Throws `EmbeddingError` when a provider cannot be reached or answers badly.
    func embedSync(_ texts: [String], kind: EmbeddingKind) throws -> [[Float]]
}

extension BertEncoder: EmbeddingEngine {}
extension OpenAICompatibleEmbedder: EmbeddingEngine {}

extension EmbeddingEngine {
    /// Whether `vector` can be stored for this engine: the right length, every value finite.
    func accepts(_ vector: [Float]) -> Bool {
        !vector.isEmpty && (dimensions == 0 || vector.count == dimensions) && vector.allSatisfy { $0.isFinite }
    }
}

extension EmbeddingError {
    /// The provider could not be reached (down, refused, timed out): records stay pending and search falls
    /// back to keywords, unlike a bad answer, which is reported.
    package var isUnreachable: Bool {
        if case .network = self { return true }
        return false
    }
}
