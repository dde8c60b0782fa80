import Foundation

/// Turns a non-2xx answer from either API family into an `LLMError`.
enum APIErrorMapping {
    /// Longest provider message kept in an error, so a huge HTML error page does not flood the log.
    static let maxMessageLength = 300

    static func error(for response: HTTPResponse, secrets: [String], now: Date) -> LLMError {
        let (type, rawMessage) = extractMessage(from: response.body)
        let message = clean(rawMessage ?? HTTPURLResponseText.reason(for: response.status), secrets: secrets)
        let retryAfter = RetryAfter.parse(headers: response.headers, now: now)
        switch response.status {
        case 429:
            return .rateLimited(retryAfter: retryAfter, message: message)
        case 408, 500...599:
            return .serviceUnavailable(status: response.status, retryAfter: retryAfter, message: message)
        case 401, 403:
            return .authenticationFailed(status: response.status, message: message)
        case 400...499:
            return .requestRejected(status: response.status, type: type.map { clean($0, secrets: secrets) }, message: message)
        default:
            return .malformedResponse("unexpected HTTP status \(response.status): \(message)")
        }
    }

    /// Anthropic sends `{"type":"error","error":{"type","message"}}`; OpenAI `{"error":{"message","type","code"}}`;
    /// Ollama and some proxies `{"error":"text"}`.
    static func extractMessage(from body: Data) -> (type: String?, message: String?) {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            let text = String(decoding: body.prefix(2048), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return (nil, text.isEmpty ? nil : text)
        }
        if let error = object["error"] as? [String: Any] {
            let type = (error["type"] as? String) ?? (error["code"] as? String)
            return (type, error["message"] as? String)
        }
        if let error = object["error"] as? String {
            return (nil, error)
        }
        return (nil, object["message"] as? String)
    }

    /// Removes every secret and caps the length; a server may echo the key back in its error text.
    static func clean(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "[redacted]")
        }
        result = result.replacingOccurrences(of: "\n", with: " ")
        if result.count > maxMessageLength {
            result = String(result.prefix(maxMessageLength)) + "…"
        }
        return result
    }
}

/// Short reason phrases for when an error body says nothing useful.
enum HTTPURLResponseText {
    static func reason(for status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not found"
        case 408: "request timeout"
        case 413: "request too large"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        case 529: "overloaded"
        default: "HTTP \(status)"
        }
    }
}
