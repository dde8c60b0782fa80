/// What an enrichment step derived from an observation, stored by `EnrichmentStore.complete` in the transaction that
/// retires the step's pending row.
public enum Enrichment: Sendable {
    /// A new snapshot of a file in the code map, built from the file's latest one inside the transaction (as
    /// `CodeMapStore.record` does); the snapshot's events are written with it.
    case codeSnapshot(project: String, file: String, preferredAt: String, build: @Sendable (CodeFileSnapshot?) throws -> NewCodeSnapshot)
    /// A record's vector from `model`, replacing the one it had.
    case vector(VectorKey, model: String, vector: [Float])
    /// Embedding the record with `model` failed: kept so a reindex does not ask again (unless forced).
    case vectorFailed(VectorKey, model: String, error: String)
    /// Only events (a file that could not be parsed).
    case events([EngramEvent])
}
