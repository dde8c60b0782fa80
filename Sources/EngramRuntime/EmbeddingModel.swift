import EngramCore
import EngramEmbeddings
import Foundation

/// The configured embedding model (`embeddings.model` under `$ENGRAM_HOME/models`), found and loaded on demand.
/// Loading a BERT costs 100+ ms, so only the worker, `engram reindex` and `engram search` do it — never a hook.
public enum EmbeddingModel {
    /// Why semantic search is or is not available.
    public enum Availability: Sendable, Equatable {
        case disabled
        case notInstalled(name: String)
        case installed(name: String, directory: URL)
    }

    /// The models folder of this data directory.
    public static func store(_ engram: Engram) -> ModelStore { ModelStore(root: engram.paths.models) }

    public static func availability(_ engram: Engram) -> Availability {
        let provider = engram.config.string("embeddings.provider").lowercased()
        let name = engram.config.string("embeddings.model").trimmingCharacters(in: .whitespaces)
        // Only the local encoder is wired into search so far; other providers behave as none.
        guard provider == "local", !name.isEmpty else { return .disabled }
        guard let dir = try? store(engram).directory(for: name),
              FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.safetensors").path) else {
            return .notInstalled(name: name)
        }
        return .installed(name: name, directory: dir)
    }

    /// Loads the configured encoder, or nil (logged) when none is installed or it does not load.
    public static func loadEncoder(_ engram: Engram) -> BertEncoder? {
        guard case .installed(let name, let dir) = availability(engram) else { return nil }
        do {
            return try BertEncoder(directory: dir, modelID: name)
        } catch {
            engram.logger.warning("embedding model \(name) does not load, keyword search only: \(error.localizedDescription)")
            return nil
        }
    }

    /// Learnings dedup by embedding cosine (the service's threshold, 0.85, applies to it). The new text is
    /// compared with every candidate, so vectors are memoised per text for the closure's lifetime.
    public static func similarity(_ encoder: BertEncoder) -> @Sendable (String, String) -> Double {
        let memo = VectorMemo()
        return { a, b in
            let va = memo.vector(a) { encoder.embedSync([$0], kind: .learning).first ?? [] }
            let vb = memo.vector(b) { encoder.embedSync([$0], kind: .learning).first ?? [] }
            guard !va.isEmpty, va.count == vb.count else { return 0 }
            var dot: Float = 0
            for i in 0..<va.count { dot = dot + va[i] * vb[i] }
            return Double(dot)
        }
    }
}

/// Text → vector, shared by calls of one similarity closure.
final class VectorMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var vectors: [String: [Float]] = [:]

    func vector(_ text: String, make: (String) -> [Float]) -> [Float] {
        lock.lock()
        if let v = vectors[text] { lock.unlock(); return v }
        lock.unlock()
        let v = make(text)
        lock.lock(); vectors[text] = v; lock.unlock()
        return v
    }
}
