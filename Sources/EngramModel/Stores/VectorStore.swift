/// Vectors of records (observations, session summaries, learnings, memories), at most one per record, tagged with the
/// model that made it; a record without one from a model, or with one from another model, is pending for that model.
///
/// An in-memory index needs numbers, not `VectorKey`s, to stay fast: the store gives each record an *index key*, an
/// opaque number unique across kinds and shared with the store's keyword index (`SearchService` fuses the two lists
/// on it). The engine only compares index keys and asks the store which record one names; it never makes one.
public protocol VectorStore: Sendable {
    /// Records of `kinds` without a done vector from `model` (failed ones too when `retryFailed`), each kind oldest
    /// first; at most `limit`.
    func missing(model: String, kinds: Set<RecordKind>, retryFailed: Bool, limit: Int) throws -> [VectorSource]
    /// Stores each record's vector (or that embedding it failed), replacing what it had, in one transaction; records
    /// gone meanwhile are skipped.
    func store(_ results: [VectorResult], model: String, now: String) throws
    /// Deletes every vector (of any model) of records of `kinds`.
    func drop(kinds: Set<RecordKind>) throws
    /// Where a record stands for `model`.
    func status(_ key: VectorKey, model: String) throws -> VectorStatus
    /// The done vectors of `model` of the records asked for (records without one are left out), read at one moment.
    func vectors(_ keys: [VectorKey], model: String) throws -> [VectorKey: [Float]]
    /// The index keys of the records asked for (records gone are left out).
    func indexKeys(_ keys: [VectorKey]) throws -> [VectorKey: Int64]
    /// The records the index keys name (keys naming nothing are left out).
    func records(indexKeys: [Int64]) throws -> [Int64: VectorKey]
    /// Runs `body` over one consistent read of the vectors: what an index loads and what it reads back agree.
    func read<T>(_ body: (any VectorSnapshot) throws -> T) throws -> T
}
