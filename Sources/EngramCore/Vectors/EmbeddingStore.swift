import EngramSQLite

/// The embeddings table under its old name, for the benchmark and the tests that seed vectors into a SQLite file
/// directly; the engine itself stores vectors through its stores (`Enrichment.vector`, `VectorStore`).
public typealias EmbeddingStore = SQLiteEmbeddings
