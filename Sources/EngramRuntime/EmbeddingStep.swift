import EngramCore
import EngramEmbeddings
import Foundation

/// Embeds each new observation (title + summary) once it is committed: the provider is asked outside any transaction
/// (a remote one may take seconds), and the vector is stored in a short transaction of its own (`Enrichment.vector`). Wired only when the
/// engine is opened with embeddings enabled. The observation never depends on its vector: when a provider cannot be
/// reached, the record stays pending (for `engram reindex`) and the provider is left alone for `pause`, so a dead server
/// is not asked once per observation; a bad answer marks the record failed with the provider's message.
package struct EmbeddingStep: EnrichmentStep {
    let encoder: any EmbeddingEngine
    let clock: EngramClock
    let pause: TimeInterval
    let warn: @Sendable (String) -> Void
    private let breaker = Breaker()

    /// `warn` receives one line when the provider turns out unreachable (the runtime passes its logger).
    package init(
        encoder: any EmbeddingEngine, clock: EngramClock, pause: TimeInterval = 60,
        warn: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.encoder = encoder
        self.clock = clock
        self.pause = pause
        self.warn = warn
    }

    package var name: String { "embedding" }

    package func applies(to observation: ObservationRecord, event: ToolEvent) -> Bool { true }

    /// The text embedded for an observation: what a person would search for.
    static func text(_ observation: ObservationRecord) -> String { observation.title + ". " + observation.summary }

    package func prepare(_ observation: ObservationRecord, event: ToolEvent) async throws -> Enrichment? {
        guard let id = observation.id else { return nil }
        let key = VectorKey.observation(id)
        let now = clock.now()
        guard breaker.isClosed(at: now) else { return nil }
        let vector: [Float]
        do {
            vector = try encoder.embedSync([Self.text(observation)], kind: .observation).first ?? []
        } catch let error as EmbeddingError where error.isUnreachable {
            breaker.open(until: now.addingTimeInterval(pause))
            warn("embedding provider unreachable, observation #\(id) left pending for `engram reindex`: \(error.localizedDescription)")
            return nil
        } catch {
            return .vectorFailed(key, model: encoder.modelID, error: error.localizedDescription)
        }
        return encoder.accepts(vector)
            ? .vector(key, model: encoder.modelID, vector: vector)
            : .vectorFailed(key, model: encoder.modelID, error: "encoder returned no finite vector")
    }
}

/// When the provider may be asked again (shared by copies of one observer).
final class Breaker: @unchecked Sendable {
    private let lock = NSLock()
    private var reopensAt: Date?

    func isClosed(at now: Date) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard let t = reopensAt else { return true }
        if now >= t { reopensAt = nil; return true }
        return false
    }

    func open(until t: Date) {
        lock.lock(); defer { lock.unlock() }
        reopensAt = t
    }
}
