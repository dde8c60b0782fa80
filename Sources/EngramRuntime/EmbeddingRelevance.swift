import EngramCore
import EngramEmbeddings
import Foundation

/// Ranks the briefing's observation candidates by embedding similarity to what the project was last about
/// (the latest session summary, else the latest prompt). Candidates without a vector keep their order, after
/// those with one; when the focus cannot be embedded (a provider that is down), the order is left as it was.
/// For the worker and MCP, which have the model loaded; hooks keep the recency ordering.
package enum EmbeddingRelevance {
    package static func ranker(_ engram: Engram, encoder: any EmbeddingEngine)
        -> @Sendable (String, [ObservationRecord]) throws -> [ObservationRecord]
    {
        { project, candidates in
            let model = encoder.modelID
            let focus = try engram.stores.sessions.latestFocus(project: project)
            guard focus != nil else { return candidates }
            let keyed = try engram.stores.vectors.vectors(candidates.compactMap { $0.id.map(VectorKey.observation) }, model: model)
            let vectors = Dictionary(keyed.compactMap { k, v in Int64(k.ref).map { ($0, v) } }, uniquingKeysWith: { a, _ in a })
            guard let focus, !vectors.isEmpty, let q = try? encoder.embedSync([focus], kind: .query).first else { return candidates }
            func score(_ o: ObservationRecord) -> Float? {
                guard let id = o.id, let v = vectors[id], v.count == q.count else { return nil }
                var dot: Float = 0
                for i in 0..<q.count { dot = dot + q[i] * v[i] }
                return dot
            }
            let indexed = candidates.enumerated().map { (offset: $0.offset, record: $0.element, score: score($0.element)) }
            return indexed.sorted { a, b in
                switch (a.score, b.score) {
                case let (x?, y?): return x != y ? x > y : a.offset < b.offset
                case (.some, .none): return true
                case (.none, .some): return false
                case (.none, .none): return a.offset < b.offset
                }
            }.map(\.record)
        }
    }
}
