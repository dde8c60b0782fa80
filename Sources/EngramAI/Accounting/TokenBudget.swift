import Foundation

/// A daily cap on tokens spent. Checked before each request, so one in-flight request per worker
/// may overshoot the cap by its own size; after that, nothing more is sent that day.
package struct TokenBudget: Sendable {
    /// Tokens (input + output) allowed per day.
    package var dailyLimit: Int
    private let ledger: any UsageLedger
    private let timeZone: TimeZone
    private let now: @Sendable () -> Date

    /// - Parameter timeZone: where a day starts; the user's local zone by default, so "today" means their today.
    package init(
        dailyLimit: Int,
        ledger: any UsageLedger,
        timeZone: TimeZone = .current,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.dailyLimit = max(0, dailyLimit)
        self.ledger = ledger
        self.timeZone = timeZone
        self.now = now
    }

    /// The ledger key for `date`, "yyyy-MM-dd".
    package func day(for date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Tokens still available today (never negative).
    package func remaining() async throws -> Int {
        let used = try await ledger.tokensUsed(on: day(for: now()))
        return max(0, dailyLimit - used)
    }

    /// Throws `LLMError.budgetExhausted` when today's spending has reached the limit; ledger errors pass through.
    package func ensureAvailable() async throws {
        let today = day(for: now())
        let used = try await ledger.tokensUsed(on: today)
        if used >= dailyLimit {
            throw LLMError.budgetExhausted(day: today, used: used, limit: dailyLimit)
        }
    }

    /// Records what `response` consumed and returns the entry written.
    @discardableResult
    package func record(_ response: LLMResponse, estimatedCostUSD: Double?) async throws -> LLMUsage {
        let date = now()
        let usage = LLMUsage(
            day: day(for: date),
            date: date,
            model: response.model,
            inputTokens: response.inputTokens,
            outputTokens: response.outputTokens,
            estimatedCostUSD: estimatedCostUSD
        )
        try await ledger.record(usage)
        return usage
    }
}
