import EngramCore
import EngramEmbeddings
import Foundation
import GRDB

/// Embeds each new observation (title + summary) inside its write transaction, so a stored observation
/// is searchable by meaning at once. Wired only when the engine is opened with embeddings enabled.
public struct EmbeddingObserver: ObservationObserver {
    let encoder: BertEncoder
    let clock: EngramClock

    public init(encoder: BertEncoder, clock: EngramClock) {
        self.encoder = encoder
        self.clock = clock
    }

    public func didStore(observation: inout ObservationRecord, event: ToolEvent, in db: Database) throws {
        guard let id = observation.id else { return }
        let source = EmbeddingStore.Source(kind: .observation, ref: String(id), ftsRowid: id * 4,
                                           text: EmbeddingStore.text(title: observation.title, body: observation.summary))
        let now = Timestamp.format(clock.now())
        guard let vector = encoder.embedSync([source.text], kind: .observation).first, vector.allSatisfy({ $0.isFinite }) else {
            try EmbeddingStore.markFailed(db, source: source, model: encoder.modelID, error: "encoder returned no finite vector", now: now)
            return
        }
        try EmbeddingStore.save(db, source: source, model: encoder.modelID, vector: vector, now: now)
    }
}
