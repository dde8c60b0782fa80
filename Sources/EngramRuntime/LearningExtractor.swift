import EngramAI
import EngramCore
import Foundation
import GRDB

/// Turns a summarized session into learnings stored through `LearningsService.add` (dedup and
/// reinforcement across sessions happen there). The LLM is used when configured; the
/// conservative heuristic otherwise, or when the LLM fails.
public struct LearningExtractor: Sendable {
    let engram: Engram
    let client: LLMClient?

    public init(_ engram: Engram, client: LLMClient? = nil) {
        self.engram = engram
        self.client = client
    }

    public struct Result: Sendable, Equatable {
        public var added = 0
        public var reinforced = 0
        public var extractor = "heuristic"
    }

    /// Extracts and stores learnings for `sessionID`; never throws for a model failure.
    @discardableResult
    public func run(sessionID: String) async throws -> Result {
        guard let (project, summary, observations) = try material(sessionID: sessionID) else { return Result() }
        var result = Result()
        var proposals: [(category: String, content: String)] = []
        if let client, let summary {
            let known = try LearningsService(engram).list(project: project, limit: 30).map(\.content)
            do {
                let answer = try await client.extractLearnings(summary: summary, observations: observations, knownLearnings: known)
                proposals = answer.value.map { ($0.category.rawValue, $0.content) }
                result.extractor = "llm"
            } catch {
                engram.logger.warning("learning extraction by the LLM failed, heuristic used: \(error.localizedDescription)")
            }
        }
        if result.extractor == "heuristic" {
            proposals = try HeuristicLearningExtractor().extract(sessionID: sessionID, engram: engram).map { ($0.category, $0.content) }
        }
        let service = EngramRuntime.learnings(engram)
        for p in proposals {
            do {
                switch try service.add(category: p.category, content: p.content, project: project, sessionID: sessionID) {
                case .added: result.added += 1
                case .reinforced: result.reinforced += 1
                }
            } catch {
                engram.logger.debug("learning skipped: \(error.localizedDescription)")
            }
        }
        return result
    }

    private func material(sessionID: String) throws -> (String, String?, [String])? {
        try engram.store.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT project, summary_text FROM sessions WHERE id = ?", arguments: [sessionID]) else { return nil }
            let obs = try Row.fetchAll(db, sql: "SELECT tool_name, title, summary FROM observations WHERE session_id = ? ORDER BY id LIMIT 200",
                                       arguments: [sessionID])
            let lines = obs.map { r -> String in
                let tool: String = r["tool_name"] ?? "event"
                let title: String = r["title"] ?? ""
                let summary: String = r["summary"] ?? ""
                return "\(tool): \(title) — \(summary)"
            }
            let project: String = row["project"]
            let summary: String? = row["summary_text"]
            return (project, summary, lines)
        }
    }
}
