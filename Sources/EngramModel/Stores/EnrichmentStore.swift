/// Enrichment owed by observations (`ProcessingStore.commit` records it): each (observation, step) is done at most
/// once, because completing it retires it in the same transaction as what it stores; what is not completed (a crash
/// between preparing and completing) stays owed.
public protocol EnrichmentStore: Sendable {
    /// What is owed by `observationIDs` (every observation when nil), by observation then step name; at most `limit`.
    func owed(observationIDs: [Int64]?, limit: Int) throws -> [OwedEnrichment]
    /// The observation and its queue item; nil when either is gone.
    func subject(observationID: Int64) throws -> EnrichmentSubject?
    /// In one transaction: when the step is still owed, stores `enrichment` (nothing when nil, or when the observation
    /// is gone) and retires the step. Returns the events written (stamped), or nil when the step was no longer owed
    /// (another caller completed it, or it was retired), in which case nothing is written.
    func complete(_ owed: OwedEnrichment, with enrichment: Enrichment?, now: String) throws -> [EngramEvent]?
    /// Retires a step without storing anything (its observation is gone).
    func retire(_ owed: OwedEnrichment) throws
    /// Charges a failed attempt, with its error kept; the step is retired once it has failed `maxAttempts` times.
    /// `event` makes the event written with it from the attempts counted so far. Returns the event written (stamped).
    @discardableResult
    func fail(_ owed: OwedEnrichment, error: String, maxAttempts: Int, now: String, event: (Int) -> EngramEvent) throws -> EngramEvent
}
