import Foundation

/// Why a call to a model failed. Messages never contain an API key and say what to do next.
package enum LLMError: Error, LocalizedError, Sendable, Equatable {
    /// No API key for a provider that needs one.
    case missingAPIKey(provider: String, environmentVariable: String)
    /// The daily token budget is spent; no request was sent.
    case budgetExhausted(day: String, used: Int, limit: Int)
    /// No complete answer within the per-request timeout.
    case timedOut(seconds: Double)
    /// The connection failed (refused, reset, DNS, TLS...).
    case transport(String)
    /// HTTP 429: the provider asks us to slow down.
    case rateLimited(retryAfter: Duration?, message: String)
    /// HTTP 5xx, 408 or an overload answer: the provider failed on its side.
    case serviceUnavailable(status: Int, retryAfter: Duration?, message: String)
    /// HTTP 401/403: the key was refused.
    case authenticationFailed(status: Int, message: String)
    /// Any other 4xx: the request itself was refused and sending it again will not help.
    case requestRejected(status: Int, type: String?, message: String)
    /// The HTTP answer was not the API's documented shape.
    case malformedResponse(String)
    /// The caller's task was cancelled while waiting.
    case cancelled

    /// Whether sending the same request again may succeed.
    package var isRetryable: Bool {
        switch self {
        case .timedOut, .transport, .rateLimited, .serviceUnavailable: true
        case .missingAPIKey, .budgetExhausted, .authenticationFailed, .requestRejected, .malformedResponse, .cancelled: false
        }
    }

    /// The delay the provider asked for, if any.
    package var retryAfter: Duration? {
        switch self {
        case .rateLimited(let delay, _), .serviceUnavailable(_, let delay, _): delay
        default: nil
        }
    }

    package var errorDescription: String? {
        switch self {
        case .missingAPIKey(let provider, let variable):
            "No API key for \(provider). Set \(variable) or the key in engram's config; until then engram uses its heuristic compressor."
        case .budgetExhausted(let day, let used, let limit):
            "The daily LLM token budget is spent (\(used) of \(limit) tokens on \(day)). No request was sent; raise the budget in engram's config or wait until tomorrow."
        case .timedOut(let seconds):
            "The LLM did not answer within \(Self.format(seconds)) s. Check that the endpoint is up, or raise the request timeout in engram's config."
        case .transport(let message):
            "Could not reach the LLM endpoint: \(message). Check the base URL and your network."
        case .rateLimited(let delay, let message):
            "The LLM provider is rate limiting requests\(delay.map { " (retry after \(Self.format($0)) s)" } ?? ""): \(message). Lower the worker's concurrency or wait."
        case .serviceUnavailable(let status, _, let message):
            "The LLM provider failed with HTTP \(status): \(message). Items stay queued and are retried later."
        case .authenticationFailed(let status, let message):
            "The LLM provider refused the API key (HTTP \(status)): \(message). Check the key in your environment or engram's config."
        case .requestRejected(let status, let type, let message):
            "The LLM provider rejected the request (HTTP \(status)\(type.map { ", \($0)" } ?? "")): \(message). Check the model name and settings in engram's config."
        case .malformedResponse(let detail):
            "The LLM endpoint answered in an unexpected format (\(detail)). Check that the base URL points at the right API."
        case .cancelled:
            "The LLM request was cancelled."
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    private static func format(_ duration: Duration) -> String {
        format(duration.seconds)
    }
}
