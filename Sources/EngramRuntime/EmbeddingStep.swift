import EngramCore
import EngramEmbeddings
import Foundation
import GRDB

/// Embeds each new observation (title + summary) once it is committed: the provider is asked outside any transaction
/// (a remote one may take seconds), and the vector is stored in a short transaction of its own. Wired only when the
/// engine is opened with embeddings enabled. The observation never depends on its vector: when a provider cannot be
/// reached, the record stays pending (for `engram reindex`) and the provider is left alone for `pause`, so a dead server
/// is not asked once per observation; a bad answer marks the record failed with the provider's message.
public struct EmbeddingStep: EnrichmentStep {
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

    public enum Outcome: Sendable {
        case vector([Float])
        case failed(String)
    }

    public var name: String { "embedding" }

    public func applies(to observation: ObservationRecord, event: ToolEvent) -> Bool { true }

    static func source(_ observation: ObservationRecord) -> EmbeddingStore.Source? { .observation(observation) }

    public func prepare(_ observation: ObservationRecord, event: ToolEvent) async throws -> Outcome? {
        guard let source = Self.source(observation) else { return nil }
        let now = clock.now()
        guard breaker.isClosed(at: now) else { return nil }
        let vector: [Float]
        do {
            vector = try encoder.embedSync([source.text], kind: .observation).first ?? []
        } catch let error as EmbeddingError where error.isUnreachable {
            breaker.open(until: now.addingTimeInterval(pause))
            warn("embedding provider unreachable, observation #\(observation.id ?? 0) left pending for `engram reindex`: \(error.localizedDescription)")
            return nil
        } catch {
            return .failed(error.localizedDescription)
        }
        return encoder.accepts(vector) ? .vector(vector) : .failed("encoder returned no finite vector")
    }

    public func apply(_ outcome: Outcome, to observation: ObservationRecord, in db: Database) throws {
        // Re-read: the text embedded is the one stored now (an upgraded compression may have replaced it).
        guard let source = Self.source(observation) else { return }
        let now = Timestamp.format(clock.now())
        switch outcome {
        case .vector(let vector): try EmbeddingStore.save(db, source: source, model: encoder.modelID, vector: vector, now: now)
        case .failed(let message): try EmbeddingStore.markFailed(db, source: source, model: encoder.modelID, error: message, now: now)
        }
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
