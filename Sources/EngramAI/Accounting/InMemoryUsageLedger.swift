import Foundation

/// A `UsageLedger` that forgets everything when the process ends; for tests and one-shot commands.
package actor InMemoryUsageLedger: UsageLedger {
    /// Every usage recorded, oldest first.
    package private(set) var entries: [LLMUsage]

    package init(entries: [LLMUsage] = []) {
        self.entries = entries
    }

    package func tokensUsed(on day: String) async throws -> Int {
        entries.filter { $0.day == day }.reduce(0) { $0 + $1.totalTokens }
    }

    package func record(_ usage: LLMUsage) async throws {
        entries.append(usage)
    }
}
