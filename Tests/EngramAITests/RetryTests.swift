import Foundation
import Testing

@testable import EngramAI

@Suite("Retries, Retry-After and timeouts")
struct RetryTests {
    private func anthropic(
        _ server: FakeLLMSession, _ scenario: String, timeout: Duration = .seconds(30), now: @escaping @Sendable () -> Date = { Date() }
    ) -> AnthropicProvider {
        AnthropicProvider(apiKey: TestSupport.fakeKey("sk-ant"), baseURL: server.baseURL(scenario), timeout: timeout, now: now)
    }

    @Test func rateLimitHonoursRetryAfterSeconds() async throws {
        let server = try FakeLLMSession()
        let sleeper = RecordingSleeper()
        let provider = RetryingProvider(
            wrapping: anthropic(server, "anthropic_rate_limited_then_success"),
            policy: RetryPolicy(maxRetries: 3, baseDelay: .seconds(1), maxDelay: .seconds(60), jitter: { 1 }),
            sleeper: sleeper
        )

        let response = try await provider.complete(TestSupport.simpleRequest())

        #expect(response.outputTokens == 164)
        #expect(await sleeper.delays == [.seconds(7)])
        #expect(try await server.requests().count == 2)
    }

    @Test func rateLimitHonoursRetryAfterHTTPDate() async throws {
        let server = try FakeLLMSession()
        let sleeper = RecordingSleeper()
        // The fixture says "retry after Sat, 21 Nov 2026 23:20:07 GMT"; the clock says 23:20:00.
        let now = TestSupport.httpDate("Sat, 21 Nov 2026 23:20:00 GMT")
        let base = OpenAICompatibleProvider(
            apiKey: TestSupport.fakeKey("sk-proj"), baseURL: server.baseURL("openai_rate_limited_http_date"), now: { now }
        )
        let provider = RetryingProvider(wrapping: base, policy: RetryPolicy(maxRetries: 1, jitter: { 1 }), sleeper: sleeper)

        let response = try await provider.complete(TestSupport.simpleRequest(model: "gpt-4o-mini"))

        #expect(response.inputTokens == 1096)
        #expect(await sleeper.delays == [.seconds(7)])
    }

    @Test func retryAfterIsCappedAtTheMaximumDelay() async throws {
        let server = try FakeLLMSession()
        let sleeper = RecordingSleeper()
        let provider = RetryingProvider(
            wrapping: anthropic(server, "anthropic_rate_limited_then_success"),
            policy: RetryPolicy(maxRetries: 1, maxDelay: .seconds(2)),
            sleeper: sleeper
        )
        _ = try await provider.complete(TestSupport.simpleRequest())
        #expect(await sleeper.delays == [.seconds(2)])
    }

    @Test func serverErrorsAreRetriedWithExponentialBackoff() async throws {
        let server = try FakeLLMSession()
        let sleeper = RecordingSleeper()
        let provider = RetryingProvider(
            wrapping: anthropic(server, "anthropic_server_errors_then_success"),
            policy: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(500), maxDelay: .seconds(30), jitter: { 1 }),
            sleeper: sleeper
        )

        let response = try await provider.complete(TestSupport.simpleRequest())

        #expect(response.stopReason == "end_turn")
        #expect(await sleeper.delays == [.milliseconds(500), .seconds(1)])
        #expect(try await server.requests().count == 3)
    }

    @Test func givesUpAfterMaxRetriesWithTheLastError() async throws {
        let server = try FakeLLMSession()
        let sleeper = RecordingSleeper()
        let provider = RetryingProvider(
            wrapping: anthropic(server, "anthropic_overloaded_always"),
            policy: RetryPolicy(maxRetries: 2, baseDelay: .seconds(1), jitter: { 0 }),
            sleeper: sleeper
        )

        let error = await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }

        guard case .serviceUnavailable(529, _, "Overloaded")? = error else {
            Issue.record("expected 529 overloaded, got \(String(describing: error))")
            return
        }
        #expect(try await server.requests().count == 3)
        #expect(await sleeper.delays == [.milliseconds(500), .seconds(1)])
    }

    @Test(arguments: ["anthropic_model_not_found", "anthropic_auth_error_echo"])
    func clientErrorsAreNotRetried(scenario: String) async throws {
        let server = try FakeLLMSession()
        let sleeper = RecordingSleeper()
        let provider = RetryingProvider(wrapping: anthropic(server, scenario), policy: RetryPolicy(maxRetries: 3), sleeper: sleeper)

        await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }

        #expect(try await server.requests().count == 1)
        #expect(await sleeper.delays.isEmpty)
    }

    @Test func hangingServerTimesOutWithAClearErrorAndIsRetried() async throws {
        let server = try FakeLLMSession()
        let sleeper = RecordingSleeper()
        let attempts = CountingProvider(wrapping: anthropic(server, "anthropic_hanging", timeout: .milliseconds(400)))
        let provider = RetryingProvider(wrapping: attempts, policy: RetryPolicy(maxRetries: 1, jitter: { 1 }), sleeper: sleeper)

        let error = await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }

        #expect(error == .timedOut(seconds: 0.4))
        #expect(error?.localizedDescription.contains("did not answer within 0.4 s") == true)
        #expect(await sleeper.delays.count == 1)
        // Counted on the client: the server may log a request it got after the client gave up, or not yet.
        #expect(await attempts.calls.count == 2)
    }

    @Test func aServerThatTricklesBytesStillTimesOut() async throws {
        // URLSession's own timeout only fires on silence; this server is never silent for long.
        let server = try FakeLLMSession()
        let provider = anthropic(server, "anthropic_trickling", timeout: .milliseconds(600))
        let error = await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }
        #expect(error == .timedOut(seconds: 0.6))
    }

    @Test func cancellingTheCallerStopsAHangingRequest() async throws {
        let server = try FakeLLMSession()
        let provider = anthropic(server, "anthropic_hanging", timeout: .seconds(120))
        let task = Task { try await provider.complete(TestSupport.simpleRequest()) }
        // Wait until the request is on the server, then cancel; the 120 s timeout must not be what ends it.
        while try await server.requests().isEmpty { await Task.yield() }
        task.cancel()
        let result = await task.result
        #expect(throws: LLMError.cancelled) { try result.get() }
    }

    @Test(arguments: [
        (0, 1.0, 1.0), (1, 1.0, 2.0), (2, 1.0, 4.0), (3, 1.0, 8.0), (10, 1.0, 30.0),
        (0, 0.0, 0.5), (2, 0.0, 2.0), (2, 0.5, 3.0),
    ])
    func backoffDoublesWithJitterAndCap(retry: Int, jitter: Double, expectedSeconds: Double) {
        let policy = RetryPolicy(maxRetries: 20, baseDelay: .seconds(1), maxDelay: .seconds(30), jitter: { jitter })
        let delay = policy.delay(beforeRetry: retry, after: .transport("reset"))
        #expect(delay == .milliseconds(Int64(expectedSeconds * 1000)))
    }

    @Test(
        arguments: [
            (["retry-after": "7"], 7_000),
            (["retry-after": "0.25"], 250),
            (["retry-after-ms": "213", "retry-after": "9"], 213),
            (["retry-after": "Sat, 21 Nov 2026 23:20:07 GMT"], 7_000),
            (["retry-after": "Sat, 21 Nov 2026 23:19:00 GMT"], 0),
        ] as [([String: String], Int64)])
    func retryAfterParsesSecondsMillisecondsAndDates(headers: [String: String], expectedMilliseconds: Int64) {
        let now = TestSupport.httpDate("Sat, 21 Nov 2026 23:20:00 GMT")
        #expect(RetryAfter.parse(headers: headers, now: now) == .milliseconds(expectedMilliseconds))
    }

    @Test(arguments: [[:], ["retry-after": "soon"], ["retry-after": "-3"], ["retry-after": ""]] as [[String: String]])
    func unusableRetryAfterIsIgnored(headers: [String: String]) {
        #expect(RetryAfter.parse(headers: headers, now: Date()) == nil)
    }
}
