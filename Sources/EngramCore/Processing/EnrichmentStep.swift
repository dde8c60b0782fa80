/// Work derived from an observation once it is committed: a code snapshot, a vector. The slow part (parsing a file,
/// asking an embedding provider) runs in `prepare`, outside any transaction, so hooks never wait behind it; what it
/// returns is stored by the enrichment store in a short transaction of its own. A step is keyed by (observation,
/// `name`) and done at most once: its pending row is retired in the same transaction as its effects.
public protocol EnrichmentStep: Sendable {
    /// Stable name kept with what an observation owes ("code", "embedding").
    var name: String { get }

    /// Whether the observation needs this step at all; decided, cheaply, when the observation is written.
    func applies(to observation: ObservationRecord, event: ToolEvent) -> Bool

    /// The slow part, outside any transaction: what to store. nil: nothing to store after all.
    func prepare(_ observation: ObservationRecord, event: ToolEvent) async throws -> Enrichment?
}
