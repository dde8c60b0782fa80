import EngramAI
import EngramCore
import Foundation
import EngramSQLite

/// Assembles the engine with everything beyond the core — code intelligence, LLM
/// compression, embeddings — so the CLI, the worker and the MCP server are wired alike.
/// EngramCore knows none of these modules; this is the one place that knows them all.
public enum EngramRuntime {
    /// Opens the data directory named by the environment, wired for in-process work:
    /// heuristics only, no network (hooks and the CLI's `process` must never wait on a model).
    /// `embeddings: true` (the worker, `engram reindex`) also loads the embedding model, if installed, and
    /// embeds each new observation as it is stored; otherwise new records stay pending for a later backfill.
    public static func open(env: [String: String] = ProcessInfo.processInfo.environment, mode: EngramStore.Mode = .queue,
                            clock: EngramClock = .system, logToStderr: Bool = false, embeddings: Bool = false) throws -> Engram {
        let engram = try Engram.open(env: env, mode: mode, clock: clock, logToStderr: logToStderr)
        return wire(engram, embeddings: embeddings)
    }

    /// Adds the enrichment steps every processing path runs.
    public static func wire(_ engram: Engram, embeddings: Bool = false) -> Engram {
        var e = engram
        e.enrichment = enrichment(for: engram)
        if embeddings, let encoder = EmbeddingModel.loadEncoder(engram) {
            e.enrichment.append(EmbeddingStep(encoder: encoder, clock: engram.clock))
        }
        return e
    }

    /// The embedding engine for `engram`: the one already wired into its processing (the worker's), so a process
    /// holds the model's weights once (90 MB for MiniLM), else the configured model loaded now (~100 ms).
    public static func encoder(_ engram: Engram) -> (any EmbeddingEngine)? {
        for case let step as EmbeddingStep in engram.enrichment { return step.encoder }
        return EmbeddingModel.loadEncoder(engram)
    }

    /// The learnings service, deduplicating by embedding cosine when the model is installed (else lexically); the
    /// model is loaded only when a learning is first compared, so a caller with nothing to add never pays for it.
    public static func learnings(_ engram: Engram) -> LearningsService {
        var service = LearningsService(engram)
        service.similarity = EmbeddingModel.similarity(loading: { encoder(engram) })
        return service
    }

    /// The same with the engine a long-lived caller already holds (nil: lexical dedup).
    public static func learnings(_ engram: Engram, encoder: (any EmbeddingEngine)?) -> LearningsService {
        var service = LearningsService(engram)
        if let encoder { service.similarity = EmbeddingModel.similarity(encoder) }
        return service
    }

    /// A search service with semantic search when the configured model is installed.
    public static func searchService(_ engram: Engram) -> SearchService {
        searchService(engram, encoder: encoder(engram))
    }

    /// The same with the engine a long-lived caller already holds (nil: keyword search).
    public static func searchService(_ engram: Engram, encoder: (any EmbeddingEngine)?) -> SearchService {
        guard let encoder else { return SearchService(engram) }
        return SearchService(engram, queryEmbedder: EmbeddingQueryEmbedder(encoder: encoder, int8: engram.config.bool("embeddings.int8")))
    }

    static func enrichment(for engram: Engram) -> [any EnrichmentStep] {
        [CodeTracker(engram)]
    }

    /// Opens the engine for the worker: the LLM compressor when a provider is configured
    /// (heuristics otherwise), and the LLM services for summaries and learnings.
    public static func openForWorker(env: [String: String] = ProcessInfo.processInfo.environment,
                                     clock: EngramClock = .system) throws -> (engram: Engram, llm: LLMServices?) {
        let engram = try open(env: env, mode: .pool, clock: clock, embeddings: true)
        guard let llm = LLMServices.make(for: engram, env: env) else { return (engram, nil) }
        let compressor = LLMCompressor(client: llm.client, model: llm.configuration.model(for: .observation), engram: engram)
        return (engram.with(compressor: compressor), llm)
    }

    /// The session finisher of a process that opened the engine here: learnings deduplicated by meaning when the
    /// model is installed, and the LLM's summary and learnings when `llm` is given. The Stop hook and the worker
    /// both finish sessions through it, so a session ends the same whichever of them ran.
    public static func finisher(_ engram: Engram, llm: LLMServices? = nil) -> SessionFinisher {
        let learnings = learnings(engram)
        guard let llm else { return SessionFinisher(engram, learnings: learnings) }
        return SessionFinisher(engram, summarizer: LLMSummarizer(client: llm.client, model: llm.configuration.model(for: .summary)),
                               learnings: learnings, proposer: LearningExtractor(engram, client: llm.client).proposer)
    }

    /// Finishes a session as the worker does: its queue caught up, its summary (by the LLM when given, the heuristic
    /// otherwise or on failure), then learnings extracted from it.
    @discardableResult
    public static func finishSession(_ sessionID: String, engram: Engram, llm: LLMServices?) async throws -> String? {
        try await finisher(engram, llm: llm).finish(sessionID: sessionID).summary
    }

    /// The hook opener for `HookRunner`.
    public static let hookOpener: HookRunner.Opener = { env, clock in try open(env: env, clock: clock) }

    /// The hook finisher for `HookRunner`: the worker's pipeline without an LLM (the worker finishes with one).
    public static let hookFinisher: HookRunner.Finisher = { engram in finisher(engram) }
}
