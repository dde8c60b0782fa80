import EngramAI
import EngramCore
import EngramSQLite
import Foundation

/// Assembles the engine with everything beyond the core — code intelligence, LLM
/// compression, embeddings — so the CLI, the worker and the MCP server are wired alike.
/// EngramCore knows none of these modules; this is the one place that knows them all.
package enum EngramRuntime {
    /// Opens the data directory named by the environment, wired for in-process work:
    /// heuristics only, no network (hooks and the CLI's `process` must never wait on a model).
    /// `embeddings: true` (the worker, `engram reindex`) also loads the embedding model, if installed, and
    /// embeds each new observation as it is stored; otherwise new records stay pending for a later backfill.
    package static func open(
        env: [String: String] = ProcessInfo.processInfo.environment, mode: EngramStore.Mode = .queue,
        clock: EngramClock = .system, logToStderr: Bool = false, embeddings: Bool = false
    ) throws -> Engram {
        let engram = try Engram.open(env: env, mode: mode, clock: clock, logToStderr: logToStderr)
        return wire(engram, embeddings: embeddings)
    }

    /// Adds the enrichment steps every processing path runs.
    package static func wire(_ engram: Engram, embeddings: Bool = false) -> Engram {
        var e = engram
        e.enrichment = enrichment(for: engram)
        if embeddings, let encoder = EmbeddingModel.loadEncoder(engram) {
            e.enrichment.append(EmbeddingStep(encoder: encoder, clock: engram.clock))
        }
        return e
    }

    /// The embedding engine for `engram`: the one already wired into its processing (the worker's), so a process
    /// holds the model's weights once (90 MB for MiniLM), else the configured model loaded now (~100 ms).
    package static func encoder(_ engram: Engram) -> (any EmbeddingEngine)? {
        for case let step as EmbeddingStep in engram.enrichment { return step.encoder }
        return EmbeddingModel.loadEncoder(engram)
    }

    static func enrichment(for engram: Engram) -> [any EnrichmentStep] {
        [CodeTracker(engram)]
    }

    /// Opens the engine for the worker: the LLM compressor when a provider is configured
    /// (heuristics otherwise), and the LLM services for summaries and learnings.
    package static func openForWorker(
        env: [String: String] = ProcessInfo.processInfo.environment,
        clock: EngramClock = .system
    ) throws -> (engram: Engram, llm: LLMServices?) {
        let engram = try open(env: env, mode: .pool, clock: clock, embeddings: true)
        guard let llm = LLMServices.make(for: engram, env: env) else { return (engram, nil) }
        let compressor = LLMCompressor(client: llm.client, model: llm.configuration.model(for: .observation), engram: engram)
        return (engram.with(compressor: compressor), llm)
    }

    /// The engine over `engram`, wired with what this process has. With an `encoder`: search by meaning, learnings
    /// deduplicated by meaning, the briefing's observations ranked by relevance, saved memories embedded at once.
    /// Without one, search is by keywords and learnings are compared by the configured model, loaded only when a
    /// learning is first compared (else lexically), so a caller with nothing to compare never pays for it. With
    /// `llm`: the LLM's summaries and learnings (the heuristics when it fails).
    package static func engine(_ engram: Engram, encoder: (any EmbeddingEngine)?, llm: LLMServices? = nil) -> Engine {
        var wiring = Engine.Wiring()
        if let encoder {
            wiring.queryEmbedder = EmbeddingQueryEmbedder(encoder: encoder, int8: engram.config.bool("embeddings.int8"))
            wiring.learningSimilarity = EmbeddingModel.similarity(encoder)
            wiring.observationRanker = EmbeddingRelevance.ranker(engram, encoder: encoder)
            wiring.memoryEmbedder = { number, text in EmbeddingModel.embedMemory(engram, encoder: encoder, id: number, text: text) }
        } else {
            wiring.learningSimilarity = EmbeddingModel.similarity(loading: { Self.encoder(engram) })
        }
        if let llm {
            wiring.summarizer = LLMSummarizer(client: llm.client, model: llm.configuration.model(for: .summary))
            wiring.learningProposer = LearningExtractor(engram, client: llm.client).proposer
        }
        return Engine(engram, wiring: wiring)
    }

    /// The engine with the configured embedding model loaded (if installed): what search and the MCP server use.
    package static func engine(_ engram: Engram) -> Engine {
        engine(engram, encoder: encoder(engram))
    }

    /// Opens the data directory as `open` does and wires the engine without loading a model (`engine(_:encoder:)`
    /// with none): the CLI's commands that do not search.
    package static func openEngine(
        env: [String: String] = ProcessInfo.processInfo.environment, mode: EngramStore.Mode = .queue,
        clock: EngramClock = .system, logToStderr: Bool = false
    ) throws -> Engine {
        engine(try open(env: env, mode: mode, clock: clock, logToStderr: logToStderr), encoder: nil)
    }

    /// The hook opener for `HookRunner`: the worker's pipeline without an LLM (the worker finishes with one), so
    /// Stop without a worker ends a session as the worker would.
    package static let hookOpener: HookRunner.Opener = { env, clock in engine(try open(env: env, clock: clock), encoder: nil) }
}
