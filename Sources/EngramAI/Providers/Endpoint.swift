import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Builds API URLs from a configured base that may or may not already end in `/v1`, and sends the JSON
/// requests both providers make.
enum Endpoint {
    /// `https://api.openai.com` and `https://api.openai.com/v1` both give `.../v1/<path>`.
    static func url(base: URL, path: String) -> URL {
        var trimmed = base.absoluteString
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let prefix = trimmed.hasSuffix("/v1") ? trimmed : trimmed + "/v1"
        return URL(string: prefix + "/" + path) ?? base.appendingPathComponent("v1").appendingPathComponent(path)
    }

    /// POSTs `body` as JSON to `{base}/v1/{path}` with `headers` and returns the response body; a status outside
    /// 2xx becomes the `LLMError` it describes, with `secrets` redacted from any text kept.
    static func postJSON(
        base: URL, path: String, headers: [String: String], body: Data, transport: any HTTPTransport,
        timeout: Duration, secrets: [String], now: @Sendable () -> Date
    ) async throws -> Data {
        var request = URLRequest(url: url(base: base, path: path))
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.setValue("application/json", forHTTPHeaderField: "accept")
        request.httpBody = body
        let response = try await transport.send(request, timeout: timeout)
        guard (200..<300).contains(response.status) else {
            throw APIErrorMapping.error(for: response, secrets: secrets, now: now())
        }
        return response.body
    }
}
