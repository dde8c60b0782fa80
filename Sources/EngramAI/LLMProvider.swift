import Foundation

/// A large language model that completes one request. Implementations talk to a real API;
/// wrappers (`RetryingProvider`, `BudgetedProvider`) add retries and spending limits.
package protocol LLMProvider: Sendable {
    /// Sends `request` and returns the model's answer, or throws an `LLMError`.
    func complete(_ request: LLMRequest) async throws -> LLMResponse
}
