import Foundation

/// Tokens one model call consumed, as recorded in the usage ledger and the event log.
package struct LLMUsage: Sendable, Hashable, Codable {
    /// The budget day the call counts against ("yyyy-MM-dd" in the budget's time zone).
    package var day: String
    package var date: Date
    package var model: String
    package var inputTokens: Int
    package var outputTokens: Int
    /// An estimate in US dollars from `CostEstimator`; nil when the model's price is unknown.
    package var estimatedCostUSD: Double?

    package init(day: String, date: Date, model: String, inputTokens: Int, outputTokens: Int, estimatedCostUSD: Double?) {
        self.day = day
        self.date = date
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.estimatedCostUSD = estimatedCostUSD
    }

    package var totalTokens: Int { inputTokens + outputTokens }
}
