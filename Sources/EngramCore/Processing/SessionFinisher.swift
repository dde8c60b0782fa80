import Foundation

/// The one end-of-session pipeline, used by the Stop hook and by the worker alike, so a session's summary and
/// learnings do not depend on which of them happened to run: the session's queue caught up (waiting for, or taking
/// over, its items still in flight, so the summary sees everything captured before Stop), its summary, then the
/// learnings it teaches, deduplicated by `learnings` (by meaning when its similarity is an encoder's).
public struct SessionFinisher: Sendable {
    /// Learnings proposed for a summarized session by something better than the heuristic (an LLM); nil when it
    /// cannot, so the heuristic runs instead. A failure is the proposer's to log: it answers nil.
    public typealias Proposer = @Sendable (_ material: Material) async -> [(category: String, content: String)]?

    /// What a proposer reads: the session's project, its summary and one line per observation.
    public struct Material: Sendable {
        public var sessionID: String
        public var project: String
        public var summary: String
        public var observations: [String]
    }

    /// What finishing did.
    public struct Outcome: Sendable, Equatable {
        public var summary: String?
        public var learningsAdded = 0
        public var learningsReinforced = 0
        /// "heuristic", or the proposer's name when it answered.
        public var extractor = "heuristic"
    }

    let engram: Engram
    /// Summarizes better than the heuristic (an LLM); the heuristic when nil or when it fails.
    public var summarizer: (any SessionSummarizing)?
    public var learnings: LearningsService
    public var proposer: (name: String, propose: Proposer)?

    public init(
        _ engram: Engram, summarizer: (any SessionSummarizing)? = nil, learnings: LearningsService? = nil,
        proposer: (name: String, propose: Proposer)? = nil
    ) {
        self.engram = engram
        self.summarizer = summarizer
        self.learnings = learnings ?? LearningsService(engram)
        self.proposer = proposer
    }

    /// Finishes `sessionID`; the summary is nil when the session has nothing to say (then no learnings either).
    @discardableResult
    public func finish(sessionID: String) async throws -> Outcome {
        try await QueueProcessor(engram).finish(sessionID: sessionID, wait: engram.config.finishWait)
        let service = SessionSummaryService(engram)
        var outcome = Outcome()
        if let summarizer {
            outcome.summary = try await service.summarize(sessionID: sessionID, using: summarizer)
        } else {
            outcome.summary = try service.summarize(sessionID: sessionID)
        }
        guard outcome.summary != nil else { return outcome }
        try await learn(sessionID: sessionID, into: &outcome)
        return outcome
    }

    private func learn(sessionID: String, into outcome: inout Outcome) async throws {
        guard let session = try session(sessionID) else { return }
        var proposals: [(category: String, content: String)]?
        if let proposer, let summary = session.summaryText {
            proposals = await proposer.propose(try material(session, summary: summary))
            if proposals != nil { outcome.extractor = proposer.name }
        }
        if proposals == nil {
            proposals = try HeuristicLearningExtractor().extract(sessionID: sessionID, engram: engram).map { ($0.category, $0.content) }
        }
        for p in proposals ?? [] {
            do {
                switch try learnings.add(category: p.category, content: p.content, project: session.project, sessionID: sessionID) {
                case .added: outcome.learningsAdded += 1
                case .reinforced: outcome.learningsReinforced += 1
                }
            } catch {
                engram.logger.debug("learning skipped: \(error.localizedDescription)")
            }
        }
    }

    private func session(_ id: String) throws -> SessionRecord? {
        try engram.stores.sessions.session(id)
    }

    /// The proposer's reading: one line per observation (tool, title, summary), never the stored payloads.
    private func material(_ session: SessionRecord, summary: String) throws -> Material {
        let lines = try engram.stores.observations.observations(sessionID: session.id, limit: 200).map { o in
            "\(o.toolName ?? "event"): \(o.title) — \(o.summary)"
        }
        return Material(sessionID: session.id, project: session.project, summary: summary, observations: lines)
    }
}
