import Foundation
import GRDB

/// Builds and stores a session's summary (what was asked, done, which files, how it ended).
public struct SessionSummaryService: Sendable {
    let engram: Engram
    let summarizer: HeuristicSummarizer

    public init(_ engram: Engram, summarizer: HeuristicSummarizer = HeuristicSummarizer()) {
        self.engram = engram
        self.summarizer = summarizer
    }

    public func digest(sessionID: String) throws -> SessionDigest? {
        try engram.store.writer.read { db in
            guard let session = try SessionRecord.fetchOne(db, key: ["id": sessionID]) else { return nil }
            let prompts = try String.fetchAll(db, sql: "SELECT prompt FROM user_prompts WHERE session_id = ? ORDER BY id", arguments: [sessionID])
            let obs = try ObservationRecord.fetchAll(db, sql: "SELECT * FROM observations WHERE session_id = ? ORDER BY id", arguments: [sessionID])
            return SessionDigest(prompts: prompts,
                                 observations: obs.map { ObservationDigest(toolName: $0.toolName, title: $0.title, summary: $0.summary, filesTouched: $0.files) },
                                 lastAssistantMessage: session.lastAssistantMessage)
        }
    }

    /// Summarizes and stores; returns the summary, or nil when the session has nothing to say.
    @discardableResult
    public func summarize(sessionID: String) throws -> String? {
        let start = DispatchTime.now().uptimeNanoseconds
        guard let digest = try digest(sessionID: sessionID) else { return nil }
        if digest.prompts.isEmpty && digest.observations.isEmpty && (digest.lastAssistantMessage ?? "").isEmpty { return nil }
        let text = summarizer.summarize(digest)
        guard !text.isEmpty else { return nil }
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        let now = engram.now
        try engram.store.writer.write { db in
            try db.execute(sql: "UPDATE sessions SET summary_text = ?, status = CASE WHEN status = 'closed' THEN status ELSE 'summarized' END, updated_at = ? WHERE id = ?",
                           arguments: [text, now, sessionID])
            let project = try String.fetchOne(db, sql: "SELECT project FROM sessions WHERE id = ?", arguments: [sessionID])
            try engram.events.record(.init("hook.summary", ["observations": .number(Double(digest.observations.count)),
                                                            "prompts": .number(Double(digest.prompts.count)),
                                                            "summarizer": "heuristic", "chars": .number(Double(text.count))],
                                           sessionID: sessionID, project: project, durationMs: ms), in: db)
        }
        return text
    }
}
