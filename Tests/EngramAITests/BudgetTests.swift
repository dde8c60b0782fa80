import Foundation
import Testing

@testable import EngramAI

@Suite("Daily token budget and cost estimates")
struct BudgetTests {
    private static let utc = TimeZone(identifier: "UTC")!
    private static let now = TestSupport.httpDate("Sat, 21 Nov 2026 15:00:00 GMT")

    private func usage(day: String, tokens: Int) -> LLMUsage {
        LLMUsage(day: day, date: Self.now, model: "claude-haiku-4-5", inputTokens: tokens, outputTokens: 0, estimatedCostUSD: nil)
    }

    private func configuration(_ server: FakeLLMSession, _ scenario: String, budget: Int) -> LLMConfiguration {
        LLMConfiguration(
            kind: .anthropic, baseURL: server.baseURL(scenario), apiKey: TestSupport.fakeKey("sk-ant"),
            maxRetries: 0, dailyTokenBudget: budget
        )
    }

    @Test func exhaustedBudgetSendsNoRequestAndSaysSo() async throws {
        let server = try FakeLLMSession()
        let ledger = InMemoryUsageLedger(entries: [usage(day: "2026-11-21", tokens: 600), usage(day: "2026-11-21", tokens: 400)])
        let stack = configuration(server, "anthropic_observation_success", budget: 1_000)
            .makeProvider(ledger: ledger, environment: [:], timeZone: Self.utc, now: { Self.now })
        let provider = try #require(stack)

        let error = await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }

        #expect(error == .budgetExhausted(day: "2026-11-21", used: 1_000, limit: 1_000))
        #expect(error?.localizedDescription.contains("No request was sent") == true)
        #expect(try await server.requests().isEmpty)
    }

    @Test func usageIsRecordedWithCostAndStopsSpendingOnceReached() async throws {
        let server = try FakeLLMSession()
        let ledger = InMemoryUsageLedger(entries: [usage(day: "2026-11-20", tokens: 5_000)])
        let stack = configuration(server, "anthropic_observation_success", budget: 1_300)
            .makeProvider(ledger: ledger, environment: [:], timeZone: Self.utc, now: { Self.now })
        let provider = try #require(stack)

        // Yesterday's 5,000 tokens do not count today, so the first call goes out.
        _ = try await provider.complete(TestSupport.simpleRequest())
        let entries = await ledger.entries
        #expect(entries.count == 2)
        let recorded = try #require(entries.last)
        #expect(recorded.day == "2026-11-21")
        #expect(recorded.model == "claude-haiku-4-5-20251001")
        #expect(recorded.inputTokens == 1183)
        #expect(recorded.outputTokens == 164)
        // Haiku 4.5 list price: $1 per million input, $5 per million output.
        let cost = try #require(recorded.estimatedCostUSD)
        #expect(abs(cost - (1183 * 1.0 + 164 * 5.0) / 1_000_000) < 1e-12)

        // 1,347 tokens used of 1,300: the next call is refused before it is sent.
        let error = await #expect(throws: LLMError.self) { try await provider.complete(TestSupport.simpleRequest()) }
        #expect(error == .budgetExhausted(day: "2026-11-21", used: 1_347, limit: 1_300))
        #expect(try await server.requests().count == 1)
    }

    @Test func dayFollowsTheBudgetTimeZone() throws {
        let ledger = InMemoryUsageLedger()
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let late = TestSupport.httpDate("Sat, 21 Nov 2026 23:30:00 GMT")
        #expect(TokenBudget(dailyLimit: 1, ledger: ledger, timeZone: Self.utc).day(for: late) == "2026-11-21")
        #expect(TokenBudget(dailyLimit: 1, ledger: ledger, timeZone: tokyo).day(for: late) == "2026-11-22")
    }

    @Test func remainingNeverGoesNegative() async throws {
        let ledger = InMemoryUsageLedger(entries: [usage(day: "2026-11-21", tokens: 2_000)])
        let budget = TokenBudget(dailyLimit: 1_500, ledger: ledger, timeZone: Self.utc, now: { Self.now })
        #expect(try await budget.remaining() == 0)
        let fresh = TokenBudget(dailyLimit: 1_500, ledger: InMemoryUsageLedger(), timeZone: Self.utc, now: { Self.now })
        #expect(try await fresh.remaining() == 1_500)
    }

    @Test(arguments: [
        ("claude-haiku-4-5-20251001", 1.0, 5.0),
        ("claude-sonnet-4-5-20250929", 3.0, 15.0),
        ("claude-opus-4-5", 5.0, 25.0),
        ("claude-opus-4-1-20250805", 15.0, 75.0),
        ("gpt-4o-mini-2024-07-18", 0.15, 0.6),
        ("gpt-4o-2024-08-06", 2.5, 10.0),
        ("GPT-4.1-MINI", 0.4, 1.6),
    ])
    func costEstimatorMatchesTheLongestModelPrefix(model: String, input: Double, output: Double) throws {
        let price = try #require(CostEstimator().price(for: model))
        #expect(price.inputPerMillionUSD == input)
        #expect(price.outputPerMillionUSD == output)
        #expect(CostEstimator().estimate(model: model, inputTokens: 1_000_000, outputTokens: 1_000_000) == input + output)
    }

    @Test func unknownModelsHaveNoCostUnlessTheServerIsLocal() {
        #expect(CostEstimator().estimate(model: "llama3.1", inputTokens: 10, outputTokens: 10) == nil)
        #expect(CostEstimator(unknownModelsAreFree: true).estimate(model: "llama3.1", inputTokens: 10, outputTokens: 10) == 0)
        #expect(LLMConfiguration(kind: .openAICompatible).makeCostEstimator().estimate(model: "qwen2.5-coder", inputTokens: 5, outputTokens: 5) == 0)
    }
}
