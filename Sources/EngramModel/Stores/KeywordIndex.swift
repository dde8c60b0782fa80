/// Full-text search over observations, session summaries and learnings (saved memories have their own,
/// `MemoryStore.search`). Records are named by index keys, the same numbers `VectorStore` gives them, so keyword and
/// vector lists fuse on one key. Scores are higher-is-better and comparable within one answer only.
public protocol KeywordIndex: Sendable {
    /// The best `limit` records matching `query` that pass `filter`, best first. The first of the query's stages
    /// (`KeywordQuery.stages`: every term, then any two, then any one) that finds anything answers; the any-term stage
    /// leaves out terms found in at least `commonMatches` records while rarer ones are left.
    func ranked(_ query: KeywordQuery, filter: RecordFilter, limit: Int, commonMatches: Int) throws -> [(key: Int64, score: Double)]
    /// The index keys passing `filter`, among `keys` when given (keys naming no record never pass).
    func admitted(_ filter: RecordFilter, among keys: [Int64]?) throws -> Set<Int64>
    /// The records the keys name (keys naming nothing are left out), their bodies whole when `fullBodies`.
    func records(_ keys: [Int64], fullBodies: Bool) throws -> [Int64: SearchRecord]
}
