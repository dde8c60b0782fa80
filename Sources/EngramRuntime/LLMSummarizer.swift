import EngramAI
import EngramCore
import Foundation

/// Session summaries by the LLM; `SessionSummaryService` keeps the heuristic when this throws.
package struct LLMSummarizer: SessionSummarizing {
    let client: LLMClient
    let model: String

    package init(client: LLMClient, model: String) {
        self.client = client
        self.model = model
    }

    package var name: String { "llm:\(model)" }

    package func summarize(_ digest: SessionDigest) async throws -> String {
        var files: [String] = []
        for o in digest.observations { for f in o.filesTouched where !files.contains(f) { files.append(f) } }
        let input = SessionSummaryInput(
            userPrompts: digest.prompts,
            observations: digest.observations.map { "\($0.toolName ?? "event"): \($0.title) — \($0.summary)" },
            files: files, lastAssistantMessage: digest.lastAssistantMessage)
        return try await client.summarizeSession(input).value
    }
}
