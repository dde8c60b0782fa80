import EngramSQLite

/// The FTS5 expressions of a query, under the name the benchmark and the ranking tests use; the engine itself
/// speaks `KeywordQuery` to its `KeywordIndex`.
public typealias FTSQuery = FTS5Query
