import EngramCore
import EngramEmbeddings
import EngramRuntime
import Foundation

/// The engram side of `engram-bench hybrid`, run as a fresh child process so its load time and resident memory
/// are what `engram search` or the worker would see: open the data dir, load the vector index, then time the
/// product's hybrid search (FTS5 bm25 + vector index + RRF, hydrated hits) for every query, `rounds` times.
/// Query vectors come from the workload file, so both sides rank with the very same vectors.
struct HybridProbe {
    /// What the bench writes for both sides: the queries and their vectors.
    struct Workload: Codable {
        struct Query: Codable { var text: String; var vector: [Float] }
        var project: String
        var limit: Int
        /// Candidates per ranked list before fusion (engram's hybrid pool; the peer's limit).
        var pool: Int
        var rounds: Int
        var queries: [Query]
    }

    struct Result: Codable {
        var openMilliseconds: Double
        var indexLoadMilliseconds: Double
        var indexVectors: Int
        var indexMB: Double
        var firstQueryMilliseconds: Double
        /// How the vector list was ranked: exact float32 cosines, or int8 byte scores (`embeddings.int8`).
        var vectorScores: String
        var ms: [Double]
        var residentMBBefore: Double?
        var residentMB: Double?
        /// The top `limit` ids per query (`#42`, `session:<id>`), for overlap with the peer.
        var top: [[String]]
    }

    /// Answers precomputed query vectors (by text) as if an encoder had made them.
    struct FixedQueryVectors: EmbeddingEngine {
        let vectors: [String: [Float]]
        let modelID: String
        let dimensions: Int

        struct Unknown: LocalizedError { var text: String; var errorDescription: String? { "no vector for query \"\(text)\"" } }

        func embedSync(_ texts: [String], kind: EmbeddingKind) throws -> [[Float]] {
            try texts.map { t in
                guard let v = vectors[t] else { throw Unknown(text: t) }
                return v
            }
        }
    }

    let workload: URL
    let modelID: String

    func run() throws -> Result {
        let rssBefore = EmbedBench.residentMB()
        let data = try Data(contentsOf: workload)
        let w = try JSONDecoder().decode(Workload.self, from: data)
        let dims = w.queries.first?.vector.count ?? 0
        let engine = FixedQueryVectors(
            vectors: Dictionary(w.queries.map { ($0.text, $0.vector) }, uniquingKeysWith: { a, _ in a }),
            modelID: modelID, dimensions: dims)

        var engram: Engram?
        let open = try Stopwatch.ms { engram = try Engram.open() }
        guard let engram else { throw CocoaError(.fileReadUnknown) }
        // What EngramRuntime.engine wires for search, with this engine in place of the model.
        let embedder = EmbeddingQueryEmbedder(encoder: engine, int8: engram.config.bool("embeddings.int8"))
        let service = SearchService(engram, queryEmbedder: embedder)
        var size = (vectors: 0, bytes: 0)
        let load = try Stopwatch.ms { size = try embedder.preload(engram.stores.vectors) }

        func query(_ q: Workload.Query) -> SearchService.Query {
            .init(text: q.text, project: w.project, limit: w.limit, mode: .hybrid)
        }
        var top: [[String]] = []
        let first = try Stopwatch.ms { top.append(try service.search(query(w.queries[0])).map(\.id)) }
        for q in w.queries.dropFirst() { top.append(try service.search(query(q)).map(\.id)) }
        var ms: [Double] = []
        for _ in 0..<max(1, w.rounds) {
            for q in w.queries {
                let qq = query(q)
                ms.append(try Stopwatch.ms { _ = try service.search(qq) })
            }
        }
        return Result(
            openMilliseconds: open, indexLoadMilliseconds: load, indexVectors: size.vectors,
            indexMB: Double(size.bytes) / 1_048_576, firstQueryMilliseconds: first,
            vectorScores: engram.config.bool("embeddings.int8") ? "int8 byte scores (embeddings.int8)" : "float32, exact",
            ms: ms,
            residentMBBefore: rssBefore, residentMB: EmbedBench.residentMB(), top: top)
    }
}
