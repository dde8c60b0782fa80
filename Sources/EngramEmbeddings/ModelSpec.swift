import Foundation

/// Where a model comes from on a Hugging Face-style hub and which files make it up.
package struct ModelSpec: Sendable, Equatable {
    /// Local name, the folder under `$ENGRAM_HOME/models/`.
    package var name: String
    /// Hub repository, e.g. `sentence-transformers/all-MiniLM-L6-v2`.
    package var repo: String
    package var revision: String
    /// Files that must download.
    package var requiredFiles: [String]
    /// Files fetched when present (a 404 is fine).
    package var optionalFiles: [String]
    /// Known sha256 per file; checked in preference to the hub's metadata.
    package var pinnedSHA256: [String: String]

    package init(
        name: String, repo: String, revision: String = "main",
        requiredFiles: [String] = ModelSpec.standardRequired, optionalFiles: [String] = ModelSpec.standardOptional,
        pinnedSHA256: [String: String] = [:]
    ) {
        self.name = name
        self.repo = repo
        self.revision = revision
        self.requiredFiles = requiredFiles
        self.optionalFiles = optionalFiles
        self.pinnedSHA256 = pinnedSHA256
    }

    package static let standardRequired = ["config.json", "model.safetensors", "vocab.txt"]
    package static let standardOptional = [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "modules.json",
        "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json",
    ]

    /// Models engram knows by name (`engram model install NAME`).
    package static let catalog: [ModelSpec] = [
        ModelSpec(name: "all-MiniLM-L6-v2", repo: "sentence-transformers/all-MiniLM-L6-v2"),
        ModelSpec(name: "bge-small-en-v1.5", repo: "BAAI/bge-small-en-v1.5"),
        ModelSpec(name: "e5-small-v2", repo: "intfloat/e5-small-v2"),
        ModelSpec(name: "gte-small", repo: "thenlper/gte-small"),
    ]

    /// The default local model.
    package static var defaultModel: ModelSpec { catalog[0] }
}
