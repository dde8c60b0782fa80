import EngramCore
import EngramEmbeddings
import Foundation

/// The configured embedding model, found and loaded on demand: the local encoder (`embeddings.model` under
/// `$ENGRAM_HOME/models`) or an OpenAI-compatible server (`embeddings.provider = openai-compatible`).
/// Loading a BERT costs 100+ ms, so only the worker, `engram reindex` and `engram search` do it — never a hook.
package enum EmbeddingModel {
    /// Why semantic search is or is not available.
    package enum Availability: Sendable, Equatable {
        case disabled
        case notInstalled(name: String)
        case installed(name: String, directory: URL)
        /// An OpenAI-compatible server; whether it answers is learnt on the first request.
        case remote(model: String, baseURL: URL)
        /// The provider's settings are incomplete; the text says what to set.
        case misconfigured(String)

        /// One line for a person: why search is keyword-only in this state (nil when embeddings should work).
        package var keywordOnlyReason: String? {
            switch self {
            case .disabled: return "embeddings are off (embeddings.provider = none)"
            case .notInstalled(let name): return "the embedding model \(name) is not installed; `engram model install` enables semantic search"
            case .installed(let name, _): return "the embedding model \(name) does not load (see logs/engram.log)"
            case .remote: return nil
            case .misconfigured(let why): return why
            }
        }
    }

    /// The models folder of this data directory.
    package static func store(_ engram: Engram) -> ModelStore { ModelStore(root: engram.paths.models) }

    package static func availability(_ engram: Engram) -> Availability {
        let provider = engram.config.string("embeddings.provider").trimmingCharacters(in: .whitespaces).lowercased()
        let name = engram.config.string("embeddings.model").trimmingCharacters(in: .whitespaces)
        switch provider {
        case "none", "off", "": return .disabled
        case "local":
            guard !name.isEmpty else { return .disabled }
            guard let dir = try? store(engram).directory(for: name),
                FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.safetensors").path)
            else {
                return .notInstalled(name: name)
            }
            return .installed(name: name, directory: dir)
        case "openai-compatible", "openai":
            let base = engram.config.string("embeddings.base_url").trimmingCharacters(in: .whitespaces)
            guard !base.isEmpty else {
                return .misconfigured("embeddings.provider = openai-compatible needs embeddings.base_url (e.g. http://localhost:11434)")
            }
            guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                return .misconfigured("embeddings.base_url = \"\(base)\" is not an http(s) URL")
            }
            guard !name.isEmpty else { return .misconfigured("embeddings.model is empty: name the server's embedding model") }
            return .remote(model: name, baseURL: url)
        default:
            return .misconfigured("embeddings.provider = \"\(provider)\" is unknown: use local, openai-compatible or none")
        }
    }

    /// Loads the configured engine, or nil (logged) when there is none or it does not load. A remote provider
    /// is not contacted here; its API key is read from the variable named by `embeddings.api_key_env` in `env`.
    package static func loadEncoder(_ engram: Engram, env: [String: String] = ProcessInfo.processInfo.environment) -> (any EmbeddingEngine)? {
        switch availability(engram) {
        case .installed(let name, let dir):
            do {
                return try BertEncoder(directory: dir, modelID: name)
            } catch {
                engram.logger.warning("embedding model \(name) does not load, keyword search only: \(error.localizedDescription)")
                return nil
            }
        case .remote(let model, let url):
            return remoteEngine(engram, model: model, baseURL: url, env: env)
        case .misconfigured(let why):
            engram.logger.warning("embeddings misconfigured, keyword search only: \(why)")
            return nil
        case .disabled, .notInstalled:
            return nil
        }
    }

    static func remoteEngine(_ engram: Engram, model: String, baseURL: URL, env: [String: String]) -> OpenAICompatibleEmbedder {
        let keyVariable = engram.config.string("embeddings.api_key_env").trimmingCharacters(in: .whitespaces)
        let key = keyVariable.isEmpty ? nil : env[keyVariable]
        let dims = max(0, engram.config.int("embeddings.dimensions"))
        let timeout = engram.config.double("embeddings.timeout_seconds")
        return OpenAICompatibleEmbedder(
            baseURL: baseURL, model: model, dimensions: dims, apiKey: key,
            requestDimensions: dims > 0 ? dims : nil, batchSize: 64,
            timeout: timeout > 0 ? timeout : 10)
    }

    /// Learnings dedup by embedding cosine (the service's threshold, 0.85, applies to it). The new text is
    /// compared with every candidate, so vectors are memoised per text for the closure's lifetime. When the
    /// engine fails (a provider that is down), the pair is compared lexically instead: dedup never stops.
    /// Embeds a memory just saved, so semantic search finds it at once. A failure leaves it for `engram reindex`
    /// (recorded as failed when the provider answered badly, left pending when it could not be reached).
    package static func embedMemory(_ engram: Engram, encoder: any EmbeddingEngine, id: Int64, text: String) {
        let key = VectorKey.memory(id)
        do {
            let vector = try encoder.embedSync([text], kind: .document).first ?? []
            try engram.stores.vectors.store(
                [encoder.accepts(vector) ? .vector(key, vector) : .failed(key, "encoder returned no finite vector")],
                model: encoder.modelID, now: engram.now)
        } catch {
            engram.logger.warning("memory M\(id) not embedded yet (`engram reindex` retries): \(error.localizedDescription)")
        }
    }

    package static func similarity(_ encoder: any EmbeddingEngine) -> @Sendable (String, String) -> Double {
        similarity(loading: { encoder })
    }

    /// The same, the encoder loaded only when a comparison first needs one (once, even when it cannot be): a Stop
    /// hook with nothing to learn never loads the model. Lexical when there is none.
    package static func similarity(loading load: @escaping @Sendable () -> (any EmbeddingEngine)?) -> @Sendable (String, String) -> Double {
        let memo = VectorMemo()
        let lazy = LazyEncoder(load)
        return { a, b in
            guard let encoder = lazy.encoder else { return LexicalSimilarity.cosine(a, b) }
            guard let va = memo.vector(a, make: { try encoder.embedSync([$0], kind: .learning).first ?? [] }),
                let vb = memo.vector(b, make: { try encoder.embedSync([$0], kind: .learning).first ?? [] })
            else {
                return LexicalSimilarity.cosine(a, b)
            }
            guard !va.isEmpty, va.count == vb.count else { return 0 }
            var dot: Float = 0
            for i in 0..<va.count { dot = dot + va[i] * vb[i] }
            return Double(dot)
        }
    }
}

/// Text → vector, shared by calls of one similarity closure. After one failure it stops asking (nil).
final class VectorMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var vectors: [String: [Float]] = [:]
    private var failed = false

    func vector(_ text: String, make: (String) throws -> [Float]) -> [Float]? {
        lock.lock()
        if failed { lock.unlock(); return nil }
        if let v = vectors[text] { lock.unlock(); return v }
        lock.unlock()
        guard let v = try? make(text) else {
            lock.lock(); failed = true; lock.unlock()
            return nil
        }
        lock.lock(); vectors[text] = v; lock.unlock()
        return v
    }
}

/// An encoder loaded on first use, shared by calls of one similarity closure.
final class LazyEncoder: @unchecked Sendable {
    private let lock = NSLock()
    private var load: (@Sendable () -> (any EmbeddingEngine)?)?
    private var loaded: (any EmbeddingEngine)?

    init(_ load: @escaping @Sendable () -> (any EmbeddingEngine)?) {
        self.load = load
    }

    var encoder: (any EmbeddingEngine)? {
        lock.lock(); defer { lock.unlock() }
        if let load {
            loaded = load()
            self.load = nil
        }
        return loaded
    }
}
