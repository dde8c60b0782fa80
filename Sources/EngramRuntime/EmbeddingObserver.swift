import EngramCore
import EngramEmbeddings
import Foundation
import GRDB

/// Embeds each new observation (title + summary) inside its write transaction, so a stored observation
/// is searchable by meaning at once. Wired only when the engine is opened with embeddings enabled.
/// The observation never depends on its vector: when a provider cannot be reached, the record stays pending
/// (for `engram reindex`) and the provider is left alone for `pause` so a dead server does not hold every
/// transaction for its timeout; a bad answer marks the record failed with the provider's message.
public struct EmbeddingObserver: ObservationObserver {
    let encoder: any EmbeddingEngine
    let clock: EngramClock
    let pause: TimeInterval
    let warn: @Sendable (String) -> Void
    private let breaker = Breaker()

    /// `warn` receives one line when the provider turns out unreachable (the runtime passes its logger).
    public init(encoder: any EmbeddingEngine, clock: EngramClock, pause: TimeInterval = 60,
                warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.encoder = encoder
        self.clock = clock
        self.pause = pause
        self.warn = warn
    }

    public func didStore(observation: inout ObservationRecord, event: ToolEvent, in db: Database) throws {
        guard let id = observation.id else { return }
        let source = EmbeddingStore.Source(kind: .observation, ref: String(id), ftsRowid: id * 4,
                                           text: EmbeddingStore.text(title: observation.title, body: observation.summary))
        let now = clock.now()
        guard breaker.isClosed(at: now) else { return }
        let vector: [Float]
        do {
            vector = try encoder.embedSync([source.text], kind: .observation).first ?? []
        } catch let error as EmbeddingError where error.isUnreachable {
            breaker.open(until: now.addingTimeInterval(pause))
            warn("embedding provider unreachable, observation #\(id) left pending for `engram reindex`: \(error.localizedDescription)")
            return
        } catch {
            try EmbeddingStore.markFailed(db, source: source, model: encoder.modelID, error: error.localizedDescription,
                                          now: Timestamp.format(now))
            return
        }
        guard encoder.accepts(vector) else {
            try EmbeddingStore.markFailed(db, source: source, model: encoder.modelID, error: "encoder returned no finite vector",
                                          now: Timestamp.format(now))
            return
        }
        try EmbeddingStore.save(db, source: source, model: encoder.modelID, vector: vector, now: Timestamp.format(now))
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
