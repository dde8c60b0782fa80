import EngramCore
import EngramEmbeddings
import Foundation

/// Backfills vectors: every observation, session summary and learning without a current one from this model
/// (a model change makes every old vector stale), embedded in batches. Each batch is stored as it comes, so
/// a provider failing half-way keeps what was done; the rest stays pending for the next run.
package struct EmbeddingReindexer: Sendable {
    /// The provider failed part-way (unreachable, or an answer engram cannot use).
    package struct Interrupted: LocalizedError, Sendable {
        package var report: Report
        package var underlying: String
        package var errorDescription: String? {
            "Embedding stopped after \(report.embedded) record\(report.embedded == 1 ? "" : "s"); \(report.remaining) still pending "
                + "(run `engram reindex` again once the provider works). \(underlying)"
        }
    }

    package struct Report: Sendable, Codable, Equatable {
        package var model: String
        package var embedded: Int
        package var failed: Int
        package var remaining: Int
    }

    let engram: Engram
    let encoder: any EmbeddingEngine
    let batchSize: Int

    package init(engram: Engram, encoder: any EmbeddingEngine, batchSize: Int = 32) {
        self.engram = engram
        self.encoder = encoder
        self.batchSize = max(1, batchSize)
    }

    /// Records still to embed.
    package func pendingCount(kinds: Set<SearchService.Kind>, force: Bool) throws -> Int {
        let model = encoder.modelID
        return try engram.stores.vectors.missing(model: model, kinds: kinds, retryFailed: force, limit: .max).count
    }

    /// Embeds what is missing; `force` first drops the existing vectors of `kinds`. `progress(done, total)`.
    package func run(
        kinds: Set<SearchService.Kind> = Set(SearchService.Kind.allCases), force: Bool = false,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Report {
        let model = encoder.modelID
        let kinds = kinds.isEmpty ? Set(SearchService.Kind.allCases) : kinds
        let store = engram.stores.vectors
        if force { try store.drop(kinds: kinds) }
        let sources = try store.missing(model: model, kinds: kinds, retryFailed: false, limit: .max)
        var report = Report(model: model, embedded: 0, failed: 0, remaining: 0)
        progress(0, sources.count)
        var start = 0
        while start < sources.count {
            let batch = Array(sources[start..<min(sources.count, start + batchSize)])
            var byKind: [EmbeddingKind: [Int]] = [:]
            for (i, s) in batch.enumerated() { byKind[Self.embeddingKind(s.key.kind), default: []].append(i) }
            var vectors = [[Float]](repeating: [], count: batch.count)
            do {
                for (kind, indices) in byKind {
                    let out = try encoder.embedSync(indices.map { batch[$0].text }, kind: kind)
                    for (j, i) in indices.enumerated() where j < out.count { vectors[i] = out[j] }
                }
            } catch {
                report.remaining = try pendingCount(kinds: kinds, force: false)
                throw Interrupted(report: report, underlying: error.localizedDescription)
            }
            let results = batch.enumerated().map { i, s -> VectorResult in
                encoder.accepts(vectors[i]) ? .vector(s.key, vectors[i]) : .failed(s.key, "encoder returned no finite vector")
            }
            try store.store(results, model: model, now: engram.now)
            for r in results {
                if case .vector = r { report.embedded += 1 } else { report.failed += 1 }
            }
            start += batch.count
            progress(start, sources.count)
        }
        report.remaining = try pendingCount(kinds: kinds, force: false)
        return report
    }

    static func embeddingKind(_ kind: SearchService.Kind) -> EmbeddingKind {
        switch kind {
        case .observation: return .observation
        case .summary: return .document
        case .learning: return .learning
        case .memory: return .document
        }
    }
}
