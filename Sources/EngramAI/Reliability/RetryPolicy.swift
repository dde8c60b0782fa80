import Foundation

/// How often and how long to wait before sending a failed request again.
package struct RetryPolicy: Sendable {
    /// Retries after the first attempt; 0 disables retrying.
    package var maxRetries: Int
    /// The first backoff delay; each retry doubles it.
    package var baseDelay: Duration
    /// No wait is longer than this, whatever the server's Retry-After says.
    package var maxDelay: Duration
    /// Returns a factor in 0...1 that spreads retries of many workers apart; injected for tests.
    package var jitter: @Sendable () -> Double

    package init(
        maxRetries: Int = 3,
        baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(60),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The wait before retry number `retry` (0-based) after `error`.
    ///
    /// A server's Retry-After wins (capped at `maxDelay`); otherwise exponential backoff with
    /// "equal jitter": half the step is fixed, half random, so a retry never fires immediately.
    package func delay(beforeRetry retry: Int, after error: LLMError) -> Duration {
        if let requested = error.retryAfter {
            return min(requested, maxDelay)
        }
        let exponent = Double(min(retry, 30))
        let step = min(baseDelay.seconds * pow(2, exponent), maxDelay.seconds)
        let factor = min(max(jitter(), 0), 1)
        let seconds = step / 2 + step / 2 * factor
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
