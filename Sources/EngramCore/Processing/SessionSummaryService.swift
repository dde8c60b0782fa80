import Foundation

/// Builds and stores a session's summary (what was asked, done, which files, how it ended).
public struct SessionSummaryService: Sendable {
    let engram: Engram
    let summarizer: HeuristicSummarizer

    public init(_ engram: Engram, summarizer: HeuristicSummarizer = HeuristicSummarizer()) {
        self.engram = engram
        self.summarizer = summarizer
    }

    public func digest(sessionID: String) throws -> SessionDigest? {
        guard let session = try engram.stores.sessions.session(sessionID) else { return nil }
        let prompts = try engram.stores.sessions.prompts(sessionID: sessionID)
        let obs = try engram.stores.observations.observations(sessionID: sessionID, limit: Int(Int32.max))
        return SessionDigest(
            prompts: prompts,
            observations: obs.map { ObservationDigest(toolName: $0.toolName, title: $0.title, summary: $0.summary, filesTouched: $0.files) },
            lastAssistantMessage: session.lastAssistantMessage)
    }

    /// Summarizes and stores; returns the summary, or nil when the session has nothing to say.
    @discardableResult
    public func summarize(sessionID: String) throws -> String? {
        let start = DispatchTime.now().uptimeNanoseconds
        guard let digest = try digest(sessionID: sessionID), Self.hasContent(digest) else { return nil }
        let text = summarizer.summarize(digest)
        return try store(text, digest: digest, sessionID: sessionID, by: "heuristic", start: start)
    }

    /// Summarizes with `better` (an LLM) and falls back to the heuristic when it fails, so a summary is always written.
    @discardableResult
    public func summarize(sessionID: String, using better: any SessionSummarizing) async throws -> String? {
        let start = DispatchTime.now().uptimeNanoseconds
        guard let digest = try digest(sessionID: sessionID), Self.hasContent(digest) else { return nil }
        do {
            let text = try await better.summarize(digest)
            if !text.isEmpty { return try store(text, digest: digest, sessionID: sessionID, by: better.name, start: start) }
        } catch {
            engram.logger.warning("summary by \(better.name) failed, heuristic used: \(error.localizedDescription)")
        }
        return try store(summarizer.summarize(digest), digest: digest, sessionID: sessionID, by: "heuristic", start: start)
    }

    static func hasContent(_ digest: SessionDigest) -> Bool {
        !(digest.prompts.isEmpty && digest.observations.isEmpty && (digest.lastAssistantMessage ?? "").isEmpty)
    }

    private func store(_ text: String, digest: SessionDigest, sessionID: String, by name: String, start: UInt64) throws -> String? {
        // A summary repeats what it summarizes (an LLM's may even restate a secret it was shown): filtered like every stored field.
        let text = engram.privacy.clean(text)
        guard !text.isEmpty else { return nil }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        let now = engram.now
        let project = try engram.stores.sessions.session(sessionID)?.project
        let event = EngramEvent(
            "hook.summary",
            [
                "observations": .number(Double(digest.observations.count)),
                "prompts": .number(Double(digest.prompts.count)),
                "summarizer": .string(name), "chars": .number(Double(text.count)),
            ],
            sessionID: sessionID, project: project, durationMs: ms, timestamp: now)
        if try engram.stores.sessions.saveSummary(sessionID: sessionID, text: text, event: event, now: now) { engram.events.stored([event]) }
        return text
    }
}

/// A summarizer better than the heuristic one (the runtime's LLM summarizer); it may fail, the heuristic then stands.
public protocol SessionSummarizing: Sendable {
    /// Stored in the hook.summary event, e.g. "llm:claude-sonnet-4-5".
    var name: String { get }
    func summarize(_ digest: SessionDigest) async throws -> String
}
