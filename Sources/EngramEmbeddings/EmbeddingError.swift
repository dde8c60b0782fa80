import Foundation

/// Everything that can go wrong while loading a model, embedding text or managing installed models.
package enum EmbeddingError: Error, Equatable, Sendable {
    case fileNotFound(String)
    case corruptSafeTensors(String)
    case missingTensor(String)
    case tensorShapeMismatch(name: String, expected: [Int], actual: [Int])
    case unsupportedDType(String)
    case unsupportedArchitecture(String)
    case invalidConfig(String)
    case invalidVocabulary(String)
    case modelNotInstalled(String)
    case modelAlreadyInstalled(String)
    case invalidModelName(String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case download(url: String, status: Int)
    case network(String)
    case provider(status: Int, message: String)
    case invalidResponse(String)
    case dimensionMismatch(expected: Int, actual: Int)
    case invalidArgument(String)
}

extension EmbeddingError: LocalizedError {
    package var errorDescription: String? {
        switch self {
        case .fileNotFound(let path):
            return "Model file not found: \(path). Install the model again with `engram model install` or `engram model import DIR`."
        case .corruptSafeTensors(let why):
            return "The safetensors weights file is corrupt or truncated (\(why)). Re-download or re-import the model."
        case .missingTensor(let name):
            return
                "The weights file has no tensor named '\(name)'. The model is not a BERT-architecture sentence-transformers model, or its files are incomplete."
        case .tensorShapeMismatch(let name, let expected, let actual):
            return
                "Tensor '\(name)' has shape \(actual) but config.json implies \(expected). The config and weights belong to different models; re-install the model."
        case .unsupportedDType(let dtype):
            return "Tensor data type \(dtype) is not supported (F32, F16 and BF16 are). Use a float checkpoint of the model."
        case .unsupportedArchitecture(let what):
            return
                "Unsupported model architecture: \(what). Only BERT-architecture sentence-transformers models (all-MiniLM, bge, e5, gte) are supported."
        case .invalidConfig(let why):
            return "The model configuration is invalid: \(why). Check config.json in the model folder."
        case .invalidVocabulary(let why):
            return "The tokenizer vocabulary is invalid: \(why). Check vocab.txt / tokenizer.json in the model folder."
        case .modelNotInstalled(let name):
            return "No model named '\(name)' is installed. See `engram model list`, or install one with `engram model install`."
        case .modelAlreadyInstalled(let name):
            return "A model named '\(name)' is already installed. Remove it first with `engram model remove \(name)`."
        case .invalidModelName(let name):
            return "'\(name)' is not a valid model name: use letters, digits, '.', '-' and '_' only."
        case .checksumMismatch(let file, let expected, let actual):
            return
                "Checksum mismatch for \(file): expected sha256 \(expected), got \(actual). The download is corrupt or was tampered with; nothing was installed. Try again."
        case .download(let url, let status):
            return "Download of \(url) failed with HTTP status \(status). Check the model name and the hub URL."
        case .network(let why):
            return "Network error: \(why). Check that the server is reachable and try again."
        case .provider(let status, let message):
            return "The embeddings provider answered HTTP \(status): \(message). Check the base URL, model name and API key."
        case .invalidResponse(let why):
            return "The embeddings provider sent a response engram cannot read: \(why). Check that the server speaks the OpenAI embeddings API."
        case .dimensionMismatch(let expected, let actual):
            return "Vector has \(actual) dimensions but \(expected) were expected. The embedding model changed; run `engram reindex`."
        case .invalidArgument(let why):
            return "Invalid argument: \(why)."
        }
    }
}
