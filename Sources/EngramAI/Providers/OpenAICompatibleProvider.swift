import Foundation

/// The OpenAI chat completions API (`POST {base}/v1/chat/completions`), also spoken by Ollama,
/// the llama.cpp server and vLLM.
package struct OpenAICompatibleProvider: LLMProvider {
    /// OpenAI's public endpoint.
    package static let openAIBaseURL = URL(string: "https://api.openai.com")!
    /// Ollama's default local endpoint.
    package static let ollamaBaseURL = URL(string: "http://127.0.0.1:11434")!

    /// Server capabilities that differ between implementations of this API.
    package struct Options: Sendable, Hashable {
        /// Send `response_format: {"type":"json_object"}` when a request wants JSON.
        package var supportsJSONMode: Bool
        /// Send `max_completion_tokens` instead of `max_tokens` (newer OpenAI models refuse the old name).
        package var usesMaxCompletionTokens: Bool

        package init(supportsJSONMode: Bool = true, usesMaxCompletionTokens: Bool = false) {
            self.supportsJSONMode = supportsJSONMode
            self.usesMaxCompletionTokens = usesMaxCompletionTokens
        }
    }

    private let apiKey: APIKey?
    private let baseURL: URL
    private let options: Options
    private let timeout: Duration
    private let transport: any HTTPTransport
    private let now: @Sendable () -> Date

    /// - Parameter apiKey: sent as `Authorization: Bearer`; nil for local servers that need none.
    package init(
        apiKey: APIKey?,
        baseURL: URL = OpenAICompatibleProvider.openAIBaseURL,
        options: Options = Options(),
        timeout: Duration = .seconds(60),
        transport: any HTTPTransport = URLSessionTransport(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.options = options
        self.timeout = timeout
        self.transport = transport
        self.now = now
    }

    package func complete(_ request: LLMRequest) async throws -> LLMResponse {
        let body = try await Endpoint.postJSON(
            base: baseURL, path: "chat/completions", headers: apiKey.map { ["authorization": "Bearer \($0.value)"] } ?? [:],
            body: try Self.encodeBody(request, options: options), transport: transport, timeout: timeout,
            secrets: apiKey.map { [$0.value] } ?? [], now: now)
        return try Self.decode(body, requestedModel: request.model)
    }

    static func encodeBody(_ request: LLMRequest, options: Options) throws -> Data {
        var messages: [WireMessage] = []
        if let system = request.system, !system.isEmpty {
            messages.append(WireMessage(role: "system", content: system))
        }
        messages += request.messages.map { WireMessage(role: $0.role.rawValue, content: $0.content) }
        let body = WireRequest(
            model: request.model,
            messages: messages,
            maxTokens: options.usesMaxCompletionTokens ? nil : request.maxTokens,
            maxCompletionTokens: options.usesMaxCompletionTokens ? request.maxTokens : nil,
            temperature: request.temperature.flatMap { $0.isFinite ? $0 : nil },
            responseFormat: request.wantsJSON && options.supportsJSONMode ? ResponseFormat(type: "json_object") : nil
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
            throw LLMError.malformedResponse("not a chat completions response")
        }
        guard let choice = wire.choices.first else {
            throw LLMError.malformedResponse("chat completions response without choices")
        }
        return LLMResponse(
            text: choice.message?.content ?? "",
            model: wire.model ?? requestedModel,
            inputTokens: wire.usage?.promptTokens ?? 0,
            outputTokens: wire.usage?.completionTokens ?? 0,
            stopReason: choice.finishReason
        )
    }

    private struct WireMessage: Encodable {
        var role: String
        var content: String
    }

    private struct ResponseFormat: Encodable {
        var type: String
    }

    private struct WireRequest: Encodable {
        var model: String
        var messages: [WireMessage]
        var maxTokens: Int?
        var maxCompletionTokens: Int?
        var temperature: Double?
        var responseFormat: ResponseFormat?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature
            case maxTokens = "max_tokens"
            case maxCompletionTokens = "max_completion_tokens"
            case responseFormat = "response_format"
        }
    }

    private struct WireResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
            }
            var message: Message?
            var finishReason: String?
            enum CodingKeys: String, CodingKey {
                case message
                case finishReason = "finish_reason"
            }
        }
        struct Usage: Decodable {
            var promptTokens: Int?
            var completionTokens: Int?
            enum CodingKeys: String, CodingKey {
                case promptTokens = "prompt_tokens"
                case completionTokens = "completion_tokens"
            }
        }
        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }
}
