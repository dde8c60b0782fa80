import Foundation
import Logging

/// The engine's one API. Every edge (the hooks, the worker, the MCP tools, the CLI, and the team server to come)
/// asks an `Engine` for what it needs, and no edge builds a service or holds SQL of its own, so a capability is
/// wired once, here, and behaves the same whichever edge asked.
///
/// An `Engine` is a value: the open store and configuration (`engram`) plus the `Wiring` the runtime adds (the
/// query embedder, learning similarity, an LLM summarizer and proposer). With the default wiring it runs on
/// heuristics alone, which is what the hook binary links.
public struct Engine: Sendable {
    /// The open store, configuration, clock, event log and logger.
    public let engram: Engram
    /// What the runtime adds beyond the heuristics.
    public var wiring: Wiring

    /// The parts of the engine that live in modules the core does not link (embeddings, LLM providers). Each is
    /// optional: without it the engine falls back to what the core has (keyword search, lexical dedup, heuristic
    /// summaries and learnings).
    public struct Wiring: Sendable {
        /// Orders a project's candidate observations for the briefing, most relevant first.
        public typealias ObservationRanker = @Sendable (_ project: String, _ candidates: [ObservationRecord]) throws -> [ObservationRecord]

        /// Embeds search queries for semantic and hybrid search; nil: keyword search only.
        public var queryEmbedder: (any QueryEmbedder)?
        /// How alike two learnings are (0…1), e.g. the cosine of their embeddings; nil: lexical cosine.
        public var learningSimilarity: (@Sendable (String, String) -> Double)?
        /// Summarizes a session better than the heuristic (an LLM); nil or on failure: the heuristic.
        public var summarizer: (any SessionSummarizing)?
        /// Proposes a session's learnings better than the heuristic (an LLM).
        public var learningProposer: (name: String, propose: SessionFinisher.Proposer)?
        /// Reorders the briefing's candidate observations (most relevant first); nil: newest first.
        public var observationRanker: ObservationRanker?
        /// Stores a saved memory's vector (so it is found by meaning) right after it is saved; nil: `engram reindex`
        /// embeds it later. Failures are the embedder's to log: the memory is saved either way.
        public var memoryEmbedder: (@Sendable (_ number: Int64, _ text: String) -> Void)?

        public init(
            queryEmbedder: (any QueryEmbedder)? = nil, learningSimilarity: (@Sendable (String, String) -> Double)? = nil,
            summarizer: (any SessionSummarizing)? = nil, learningProposer: (name: String, propose: SessionFinisher.Proposer)? = nil,
            observationRanker: ObservationRanker? = nil, memoryEmbedder: (@Sendable (Int64, String) -> Void)? = nil
        ) {
            self.queryEmbedder = queryEmbedder
            self.learningSimilarity = learningSimilarity
            self.summarizer = summarizer
            self.learningProposer = learningProposer
            self.observationRanker = observationRanker
            self.memoryEmbedder = memoryEmbedder
        }
    }

    public init(_ engram: Engram, wiring: Wiring = Wiring()) {
        self.engram = engram
        self.wiring = wiring
    }

    public var config: EngramConfig { engram.config }
    public var paths: EngramPaths { engram.paths }
    public var clock: EngramClock { engram.clock }
    public var logger: Logger { engram.logger }

    /// Whether searches can rank by meaning (an embedding model or provider is wired in).
    public var canSearchByMeaning: Bool { wiring.queryEmbedder != nil }

    /// The same engine seen at another moment (records stored as of `clock`), e.g. for captures spilled earlier.
    public func at(_ clock: EngramClock) -> Engine {
        var past = Engram(
            paths: engram.paths, config: engram.config, store: engram.store, clock: clock, logger: engram.logger,
            compressor: engram.compressor, privacy: engram.privacy)
        past.enrichment = engram.enrichment
        return Engine(past, wiring: wiring)
    }

    /// Closes the store (the hook's fast exit); the engine must not be used afterwards.
    public func close() { engram.store.close() }
}
