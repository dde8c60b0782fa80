/// A claimed queue item with what processing made of it, to be written by `ProcessingStore.commit`.
public struct ProcessedItem: Sendable {
    public enum Outcome: Sendable {
        /// Compressed: stored as the item's observation; when the item already has one, it is replaced only if that
        /// one's compressor is `replacing` (a fallback result a better compressor upgrades), else left as it is.
        case compressed(ObservationRecord, replacing: String?)
        /// The better compressor is away: `fallback` is stored (unless the item has an observation already) and the
        /// item is kept `raw` until `retryAt`, or done for good when there is no `retryAt`.
        case deferred(ObservationRecord, reason: String)
        /// Compression failed: retried at `retryAt`, or failed for good when there is none.
        case failed(String)
    }

    /// What the store did with an item.
    public enum Effect: Sendable, Equatable {
        case stored(observationID: Int64)
        case upgraded
        /// Already an observation that stays as it is.
        case unchanged
        case deferred(storedObservationID: Int64?)
        /// Failed with this message; `final` when no retry is left.
        case failed(String, final: Bool)
    }

    public var item: QueueItem
    public var outcome: Outcome
    /// When a failed or deferred item is tried again; nil when it has no attempt left.
    public var retryAt: String?
    /// The enrichment steps (`EnrichmentStore`) a newly stored observation owes.
    public var owedSteps: [String]

    public init(item: QueueItem, outcome: Outcome, retryAt: String?, owedSteps: [String] = []) {
        self.item = item; self.outcome = outcome; self.retryAt = retryAt; self.owedSteps = owedSteps
    }
}
