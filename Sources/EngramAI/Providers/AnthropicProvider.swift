import Foundation

/// Anthropic's Messages API (`POST {base}/v1/messages`).
package struct AnthropicProvider: LLMProvider {
    /// The public endpoint; tests and proxies pass their own.
    package static let defaultBaseURL = URL(string: "https://api.anthropic.com")!
    /// The API version header value this client is written against.
    package static let apiVersion = "2023-06-01"

    private let apiKey: APIKey
    private let baseURL: URL
    private let timeout: Duration
    private let transport: any HTTPTransport
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - timeout: how long one HTTP exchange may take before `LLMError.timedOut`.
    ///   - now: the clock used to read `Retry-After` dates.
    package init(
        apiKey: APIKey,
        baseURL: URL = AnthropicProvider.defaultBaseURL,
        timeout: Duration = .seconds(60),
        transport: any HTTPTransport = URLSessionTransport(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.timeout = timeout
        self.transport = transport
        self.now = now
    }

    package func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let body = try await Endpoint.postJSON(
            base: baseURL, path: "messages", headers: ["x-api-key": apiKey.value, "anthropic-version": Self.apiVersion],
            body: try Self.encodeBody(request), transport: transport, timeout: timeout, secrets: [apiKey.value], now: now)
        return try Self.decode(body, requestedModel: request.model)
    }

    static func encodeBody(_ request: LLMRequest) throws -> Data {
        let body = WireRequest(
            model: request.model,
            maxTokens: request.maxTokens,
            system: request.system.flatMap { $0.isEmpty ? nil : $0 },
            messages: request.messages.map { WireMessage(role: $0.role.rawValue, content: $0.content) },
            temperature: request.temperature.flatMap { $0.isFinite ? $0 : nil }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(body)
    }

    static func decode(_ data: Data, requestedModel: String) throws -> LLMResponse {
        let wire: WireResponse
        do {
            wire = try JSONDecoder().decode(WireResponse.self, from: data)
        } catch {
            throw LLMError.malformedResponse("not an Anthropic Messages response")
        }
        guard wire.type == nil || wire.type == "message" else {
            throw LLMError.malformedResponse("response type \(wire.type ?? "nil") instead of message")
        }
        let text = (wire.content ?? []).filter { $0.type == "text" }.compactMap(\.text).joined()
        return LLMResponse(
            text: text,
            model: wire.model ?? requestedModel,
            inputTokens: wire.usage?.inputTokens ?? 0,
            outputTokens: wire.usage?.outputTokens ?? 0,
            stopReason: wire.stopReason
        )
    }

    private struct WireMessage: Encodable {
        var role: String
        var content: String
    }

    private struct WireRequest: Encodable {
        var model: String
        var maxTokens: Int
        var system: String?
        var messages: [WireMessage]
        var temperature: Double?

        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature
            case maxTokens = "max_tokens"
        }
    }

    private struct WireResponse: Decodable {
        struct Block: Decodable {
            var type: String
            var text: String?
        }
        struct Usage: Decodable {
            var inputTokens: Int?
            var outputTokens: Int?
            enum CodingKeys: String, CodingKey {
                case inputTokens = "input_tokens"
                case outputTokens = "output_tokens"
            }
        }
        var type: String?
        var model: String?
        var content: [Block]?
        var stopReason: String?
        var usage: Usage?

        enum CodingKeys: String, CodingKey {
            case type, model, content, usage
            case stopReason = "stop_reason"
        }
    }
}
