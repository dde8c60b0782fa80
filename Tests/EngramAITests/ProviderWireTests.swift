import EngramTestSupport
import Foundation
import Testing

@testable import EngramAI

@Suite("Providers against the local fake API server")
struct ProviderWireTests {
    @Test func anthropicSendsTheMessagesWireFormatAndReadsUsage() async throws {
        let server = try FakeLLMSession()
        let key = TestSupport.fakeKey("sk-ant")
        let provider = AnthropicProvider(apiKey: key, baseURL: server.baseURL("anthropic_observation_success"))

        let response = try await provider.complete(TestSupport.simpleRequest())

        #expect(response.model == "claude-haiku-4-5-20251001")
        #expect(response.inputTokens == 1183)
        #expect(response.outputTokens == 164)
        #expect(response.stopReason == "end_turn")
        #expect(response.text.hasPrefix(#"{"title": "Added JWT refresh endpoint""#))

        let recorded = try #require(try await server.requests().first)
        #expect(recorded.path == "/\(server.run)/anthropic_observation_success/v1/messages")
        #expect(recorded.headers["x-api-key"] == key.value)
        #expect(recorded.headers["anthropic-version"] == "2023-06-01")
        #expect(recorded.headers["content-type"] == "application/json")
        #expect(recorded.headers["authorization"] == nil)
        let body = try #require(recorded.body?.objectValue)
        #expect(body["model"] == .string("claude-haiku-4-5"))
        #expect(body["max_tokens"] == .number(64))
        #expect(body["system"] == .string("Be brief."))
        #expect(body["temperature"] == .number(0.2))
        #expect(body["messages"] == .array([.object(["role": .string("user"), "content": .string("Say hi")])]))
        #expect(body["response_format"] == nil)
    }

    @Test func openAISendsBearerSystemMessageAndJSONMode() async throws {
        let server = try FakeLLMSession()
        let key = TestSupport.fakeKey("sk-proj")
        let provider = OpenAICompatibleProvider(apiKey: key, baseURL: server.baseURL("openai_observation_success"))

        let response = try await provider.complete(TestSupport.simpleRequest(model: "gpt-4o-mini", wantsJSON: true))

        #expect(response.model == "gpt-4o-mini-2024-07-18")
        #expect(response.inputTokens == 1096)
        #expect(response.outputTokens == 158)
        #expect(response.stopReason == "stop")

        let recorded = try #require(try await server.requests().first)
        #expect(recorded.path == "/\(server.run)/openai_observation_success/v1/chat/completions")
        #expect(recorded.headers["authorization"] == "Bearer \(key.value)")
        let body = try #require(recorded.body?.objectValue)
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.count == 2)
        #expect(messages.first == .object(["role": .string("system"), "content": .string("Be brief.")]))
        #expect(body["response_format"] == .object(["type": .string("json_object")]))
        #expect(body["max_tokens"] == .number(64))
        #expect(body["max_completion_tokens"] == nil)
    }

    @Test func openAICompatibleOmitsJSONModeAndUsesNewTokenFieldWhenConfigured() async throws {
        let server = try FakeLLMSession()
        let options = OpenAICompatibleProvider.Options(supportsJSONMode: false, usesMaxCompletionTokens: true)
        let provider = OpenAICompatibleProvider(apiKey: nil, baseURL: server.baseURL("ollama_observation_success"), options: options)

        let response = try await provider.complete(TestSupport.simpleRequest(model: "llama3.1", wantsJSON: true))
        #expect(response.model == "llama3.1")
        #expect(response.inputTokens == 1240)

        let recorded = try #require(try await server.requests().first)
        #expect(recorded.headers["authorization"] == nil)
        let body = try #require(recorded.body?.objectValue)
        #expect(body["response_format"] == nil)
        #expect(body["max_tokens"] == nil)
        #expect(body["max_completion_tokens"] == .number(64))
    }

    @Test func anthropicWithoutTemperatureLeavesTheFieldOut() async throws {
        let server = try FakeLLMSession()
        let provider = AnthropicProvider(apiKey: TestSupport.fakeKey("sk-ant"), baseURL: server.baseURL("anthropic_observation_success"))
        var request = TestSupport.simpleRequest()
        request.temperature = nil
        request.system = nil
        _ = try await provider.complete(request)
        let body = try #require(try await server.requests().first?.body?.objectValue)
        #expect(body["temperature"] == nil)
        #expect(body["system"] == nil)
    }

    @Test(arguments: [
        ("https://api.openai.com", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),
        ("https://api.openai.com/v1/", "https://api.openai.com/v1/chat/completions"),
        ("http://127.0.0.1:8080/proxy/", "http://127.0.0.1:8080/proxy/v1/chat/completions"),
    ])
    func endpointAcceptsBaseURLsWithOrWithoutV1(base: String, expected: String) throws {
        let url = try #require(URL(string: base))
        #expect(Endpoint.url(base: url, path: "chat/completions").absoluteString == expected)
    }

    enum ExpectedError: Sendable {
        case rejected(status: Int, type: String?)
        case unavailable(status: Int)
        case malformed
    }

    @Test(arguments: [
        ("anthropic_model_not_found", ExpectedError.rejected(status: 404, type: "not_found_error")),
        ("openai_bad_request", ExpectedError.rejected(status: 400, type: "invalid_request_error")),
        ("ollama_model_not_found", ExpectedError.rejected(status: 404, type: "api_error")),
        ("anthropic_overloaded_always", ExpectedError.unavailable(status: 529)),
        ("openai_service_unavailable_always", ExpectedError.unavailable(status: 503)),
        ("openai_not_json", ExpectedError.malformed),
    ])
    func errorAnswersMapToTypedErrors(scenario: String, expected: ExpectedError) async throws {
        let server = try FakeLLMSession()
        let key = TestSupport.fakeKey("sk")
        let provider: any LLMProvider =
            scenario.hasPrefix("anthropic")
            ? AnthropicProvider(apiKey: key, baseURL: server.baseURL(scenario))
            : OpenAICompatibleProvider(apiKey: key, baseURL: server.baseURL(scenario))

        let error = await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }
        switch (expected, error) {
        case (.rejected(let status, let type), .requestRejected(let gotStatus, let gotType, let message)?):
            #expect(gotStatus == status)
            #expect(gotType == type)
            #expect(!message.isEmpty)
            #expect(error?.isRetryable == false)
        case (.unavailable(let status), .serviceUnavailable(let gotStatus, _, _)?):
            #expect(gotStatus == status)
            #expect(error?.isRetryable == true)
        case (.malformed, .malformedResponse?):
            #expect(error?.isRetryable == false)
        default:
            Issue.record("expected \(expected), got \(String(describing: error))")
        }
    }

    @Test(arguments: ["anthropic_auth_error_echo", "openai_auth_error_echo"])
    func keysNeverAppearInErrorsEvenWhenTheServerEchoesThem(scenario: String) async throws {
        let server = try FakeLLMSession()
        let key = TestSupport.fakeKey("sk")
        let provider: any LLMProvider =
            scenario.hasPrefix("anthropic")
            ? AnthropicProvider(apiKey: key, baseURL: server.baseURL(scenario))
            : OpenAICompatibleProvider(apiKey: key, baseURL: server.baseURL(scenario))

        let error = try #require(await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) })
        guard case .authenticationFailed(401, let message) = error else {
            Issue.record("expected authenticationFailed, got \(error)")
            return
        }
        // "[redacted]" shows the server did echo the key, so the checks below are not vacuous.
        #expect(message.contains("[redacted]"))
        for text in [message, error.localizedDescription, String(describing: error), String(reflecting: error)] {
            #expect(!text.contains(key.value))
        }
    }

    @Test func connectionRefusedIsATransportError() async throws {
        // Find a port that nothing listens on: start the fake server, note its port, stop it.
        let server = try FakeLLMServer(scenarios: "ai/scenarios")
        let port = server.port
        server.stop()
        let provider = AnthropicProvider(apiKey: TestSupport.fakeKey("sk-ant"), baseURL: URL(string: "http://127.0.0.1:\(port)")!)
        let error = await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }
        guard case .transport? = error else {
            Issue.record("expected transport error, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == true)
    }
}
