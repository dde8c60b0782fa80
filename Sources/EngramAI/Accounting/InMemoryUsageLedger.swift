import Foundation

/// A `UsageLedger` that forgets everything when the process ends; for tests and one-shot commands.
public actor InMemoryUsageLedger: UsageLedger {
    /// Every usage recorded, oldest first.
    public private(set) var entries: [LLMUsage]

    public init(entries: [LLMUsage] = []) {
        self.entries = entries
    }

    public func tokensUsed(on day: String) async throws -> Int {
        entries.filter { $0.day == day }.reduce(0) { $0 + $1.totalTokens }
    }

    public func record(_ usage: LLMUsage) async throws {
        entries.append(usage)
    }
}
