import EngramTestSupport
import Foundation

/// The runtime tests' tiny random BERT (EngramTestSupport writes it): the real encoder without a download.
enum EmbeddingTestModel {
    static let vocab = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "edited", "read", "ran", "the", "auth", "cache", "token",
        "refresh", "test", "tests", "file", "py", ".", ":", ",", "(", ")", "added", "fixed", "bug", "session",
    ]

    /// Writes the model folder under `parent/name` and returns it. `seed` changes every weight.
    static func write(to parent: URL, name: String, hidden: Int = 16, seed: UInt64 = 7) throws -> URL {
        let dir = parent.appendingPathComponent(name)
        try TinyBertModel.write(
            to: dir, vocab: vocab, hidden: hidden, layers: 1, heads: 2, intermediate: hidden * 2,
            maxPositions: 64, maxSeqLength: 48, lowerCase: true, seed: seed)
        return dir
    }
}
