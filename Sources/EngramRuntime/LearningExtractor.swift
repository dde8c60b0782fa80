import EngramAI
import EngramCore
import Foundation

/// The LLM's learnings for `SessionFinisher`: proposed from a session's summary and observations, with the
/// project's known learnings shown so it does not restate them. Nil (the heuristic runs) when the model fails.
package struct LearningExtractor: Sendable {
    let engram: Engram
    let client: LLMClient

    package init(_ engram: Engram, client: LLMClient) {
        self.engram = engram
        self.client = client
    }

    /// The finisher's proposer.
    package var proposer: (name: String, propose: SessionFinisher.Proposer) {
        ("llm", { material in await propose(material) })
    }

    func propose(_ material: SessionFinisher.Material) async -> [(category: String, content: String)]? {
        do {
            let known = try LearningsService(engram).list(project: material.project, limit: 30).map(\.content)
            let answer = try await client.extractLearnings(summary: material.summary, observations: material.observations, knownLearnings: known)
            return answer.value.map { ($0.category.rawValue, $0.content) }
        } catch {
            engram.logger.warning("learning extraction by the LLM failed, heuristic used: \(error.localizedDescription)")
            return nil
        }
    }
}
