import Foundation

/// The three jobs engram gives a model, each a request plus validation. Every method throws
/// `LLMError` (the call failed) or `ModelOutputError` (the answer was unusable); on either the
/// caller keeps its heuristic result.
package struct LLMClient: Sendable {
    /// The answer of one job with the raw response, for token and cost accounting.
    package struct Answer<Value: Sendable>: Sendable {
        package var value: Value
        package var response: LLMResponse
    }

    private let provider: any LLMProvider
    private let configuration: LLMConfiguration
    package var observationPrompt: ObservationPrompt
    package var summaryPrompt: SummaryPrompt
    package var learningsPrompt: LearningsPrompt

    /// - Parameters:
    ///   - provider: usually `configuration.makeProvider(ledger:)`.
    ///   - configuration: supplies the model for each task.
    package init(
        provider: any LLMProvider,
        configuration: LLMConfiguration,
        observationPrompt: ObservationPrompt = ObservationPrompt(),
        summaryPrompt: SummaryPrompt = SummaryPrompt(),
        learningsPrompt: LearningsPrompt = LearningsPrompt()
    ) {
        self.provider = provider
        self.configuration = configuration
        self.observationPrompt = observationPrompt
        self.summaryPrompt = summaryPrompt
        self.learningsPrompt = learningsPrompt
    }

    /// Compresses one tool event into the seed's record.
    package func compressObservation(_ input: ObservationInput) async throws -> Answer<LLMObservation> {
        let response = try await provider.complete(observationPrompt.request(for: input, model: configuration.model(for: .observation)))
        return Answer(value: try ObservationPrompt.parse(response.text), response: response)
    }

    /// Writes the session summary text (Asked / Done / Files / Outcome).
    package func summarizeSession(_ input: SessionSummaryInput) async throws -> Answer<String> {
        let response = try await provider.complete(summaryPrompt.request(for: input, model: configuration.model(for: .summary)))
        return Answer(value: try SummaryPrompt.parse(response.text), response: response)
    }

    /// Extracts reusable learnings from a session summary and its observations.
    package func extractLearnings(summary: String, observations: [String], knownLearnings: [String] = []) async throws -> Answer<[ExtractedLearning]>
    {
        let request = learningsPrompt.request(
            summary: summary, observations: observations, knownLearnings: knownLearnings, model: configuration.model(for: .learnings)
        )
        let response = try await provider.complete(request)
        return Answer(value: try LearningsPrompt.parse(response.text), response: response)
    }
}
