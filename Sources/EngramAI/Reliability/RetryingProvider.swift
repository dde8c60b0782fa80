import Foundation

/// Sends a request again after rate limits (429), server failures (5xx, 408), timeouts and
/// transport errors, waiting as `RetryPolicy` says. Other errors surface at once.
package struct RetryingProvider: LLMProvider {
    private let base: any LLMProvider
    private let policy: RetryPolicy
    private let sleeper: any Sleeper

    package init(wrapping base: any LLMProvider, policy: RetryPolicy = RetryPolicy(), sleeper: any Sleeper = TaskSleeper()) {
        self.base = base
        self.policy = policy
        self.sleeper = sleeper
    }

    package func complete(_ request: LLMRequest) async throws -> LLMResponse {
        var retry = 0
        while true {
            do {
                try Task.checkCancellation()
                return try await base.complete(request)
            } catch let error as LLMError {
                guard error.isRetryable, retry < policy.maxRetries else { throw error }
                do {
                    try await sleeper.sleep(for: policy.delay(beforeRetry: retry, after: error))
                } catch {
                    throw LLMError.cancelled
                }
                retry += 1
            } catch is CancellationError {
                throw LLMError.cancelled
            }
        }
    }
}
