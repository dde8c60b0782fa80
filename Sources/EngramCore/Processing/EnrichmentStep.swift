import GRDB

/// Work derived from an observation once it is committed: a code snapshot, a vector. The slow part (parsing a file,
/// asking an embedding provider) runs in `prepare`, outside any transaction, so hooks never wait behind it; `apply`
/// stores the result in a short transaction of its own. A step is keyed by (observation, `name`) and done at most once:
/// its pending row (`enrichment_pending`) is deleted in the same transaction as its effects.
public protocol EnrichmentStep: Sendable {
    associatedtype Prepared: Sendable

    /// Stable name kept in `enrichment_pending.step` ("code", "embedding").
    var name: String { get }

    /// Whether the observation needs this step at all; decided, cheaply, when the observation is written.
    func applies(to observation: ObservationRecord, event: ToolEvent) -> Bool

    /// The slow part, outside any transaction. nil: nothing to store after all.
    func prepare(_ observation: ObservationRecord, event: ToolEvent) async throws -> Prepared?

    /// Stores what `prepare` made, inside the step's transaction (the observation is re-read there).
    func apply(_ prepared: Prepared, to observation: ObservationRecord, in db: Database) throws
}
