import Foundation

/// Tokens one model call consumed, as recorded in the usage ledger and the event log.
public struct LLMUsage: Sendable, Hashable, Codable {
    /// The budget day the call counts against ("yyyy-MM-dd" in the budget's time zone).
    public var day: String
    public var date: Date
    public var model: String
    public var inputTokens: Int
    public var outputTokens: Int
    /// An estimate in US dollars from `CostEstimator`; nil when the model's price is unknown.
    public var estimatedCostUSD: Double?

    public init(day: String, date: Date, model: String, inputTokens: Int, outputTokens: Int, estimatedCostUSD: Double?) {
        self.day = day
        self.date = date
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.estimatedCostUSD = estimatedCostUSD
    }

    public var totalTokens: Int { inputTokens + outputTokens }
}
