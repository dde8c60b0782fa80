import Foundation

/// Processing the queue and finishing sessions: the same pipeline for the hook, the worker and the CLI.
extension Engine {
    /// Processes queued tool calls into observations (all claimable ones, or at most `limit`; only `sessionID`'s
    /// when given) with the engine's compressor and enrichment steps.
    @discardableResult
    public func process(sessionID: String? = nil, limit: Int? = nil) async throws -> QueueProcessor.Stats {
        try await QueueProcessor(engram).drain(sessionID: sessionID, limit: limit)
    }

    /// Hands items a crashed processor left leased back to the queue; how many.
    public func releaseAbandoned() throws -> Int {
        try QueueProcessor(engram).releaseAbandoned()
    }

    /// How many queue items are in each state.
    public func queueCounts() async throws -> QueueCounts {
        try await QueueCounts.read(engram)
    }

    /// The one end-of-session pipeline: the session's queue caught up (waiting for, or taking over, its items in
    /// flight), its summary, then its learnings, each by the wired LLM when there is one and the heuristic otherwise.
    @discardableResult
    public func finishSession(_ sessionID: String) async throws -> SessionFinisher.Outcome {
        try await finisher.finish(sessionID: sessionID)
    }

    /// The finisher this engine's wiring makes.
    public var finisher: SessionFinisher {
        SessionFinisher(engram, summarizer: wiring.summarizer, learnings: learningsService, proposer: wiring.learningProposer)
    }
}
