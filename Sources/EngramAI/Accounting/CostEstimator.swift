import Foundation

/// Estimates what a call cost in US dollars from list prices per million tokens.
///
/// The prices are ESTIMATES copied from the providers' public price lists (late 2025) and go
/// stale; they ignore caching discounts, batch pricing and regional differences. They are for
/// reports ("about $0.05 today"), never for billing.
package struct CostEstimator: Sendable {
    /// List price of one model family, matched by name prefix.
    package struct Price: Sendable, Hashable {
        /// Lower-cased prefix of the model name; the longest matching prefix wins.
        package var modelPrefix: String
        package var inputPerMillionUSD: Double
        package var outputPerMillionUSD: Double

        package init(modelPrefix: String, inputPerMillionUSD: Double, outputPerMillionUSD: Double) {
            self.modelPrefix = modelPrefix.lowercased()
            self.inputPerMillionUSD = inputPerMillionUSD
            self.outputPerMillionUSD = outputPerMillionUSD
        }
    }

    /// Estimated list prices, USD per million tokens (input, output).
    package static let defaultPrices: [Price] = [
        Price(modelPrefix: "claude-haiku-4-5", inputPerMillionUSD: 1, outputPerMillionUSD: 5),
        Price(modelPrefix: "claude-3-5-haiku", inputPerMillionUSD: 0.8, outputPerMillionUSD: 4),
        Price(modelPrefix: "claude-3-haiku", inputPerMillionUSD: 0.25, outputPerMillionUSD: 1.25),
        Price(modelPrefix: "claude-sonnet-4", inputPerMillionUSD: 3, outputPerMillionUSD: 15),
        Price(modelPrefix: "claude-3-7-sonnet", inputPerMillionUSD: 3, outputPerMillionUSD: 15),
        Price(modelPrefix: "claude-3-5-sonnet", inputPerMillionUSD: 3, outputPerMillionUSD: 15),
        Price(modelPrefix: "claude-opus-4", inputPerMillionUSD: 15, outputPerMillionUSD: 75),
        Price(modelPrefix: "claude-opus-4-5", inputPerMillionUSD: 5, outputPerMillionUSD: 25),
        Price(modelPrefix: "gpt-4o-mini", inputPerMillionUSD: 0.15, outputPerMillionUSD: 0.6),
        Price(modelPrefix: "gpt-4o", inputPerMillionUSD: 2.5, outputPerMillionUSD: 10),
        Price(modelPrefix: "gpt-4.1", inputPerMillionUSD: 2, outputPerMillionUSD: 8),
        Price(modelPrefix: "gpt-4.1-mini", inputPerMillionUSD: 0.4, outputPerMillionUSD: 1.6),
        Price(modelPrefix: "gpt-4.1-nano", inputPerMillionUSD: 0.1, outputPerMillionUSD: 0.4),
        Price(modelPrefix: "gpt-5", inputPerMillionUSD: 1.25, outputPerMillionUSD: 10),
        Price(modelPrefix: "gpt-5-mini", inputPerMillionUSD: 0.25, outputPerMillionUSD: 2),
        Price(modelPrefix: "gpt-5-nano", inputPerMillionUSD: 0.05, outputPerMillionUSD: 0.4),
    ]

    private let prices: [Price]
    private let unknownModelsAreFree: Bool

    /// - Parameter unknownModelsAreFree: true for local servers (Ollama, llama.cpp), where a model
    ///   missing from the table costs nothing rather than an unknown amount.
    package init(prices: [Price] = CostEstimator.defaultPrices, unknownModelsAreFree: Bool = false) {
        self.prices = prices.sorted { $0.modelPrefix.count > $1.modelPrefix.count }
        self.unknownModelsAreFree = unknownModelsAreFree
    }

    /// The price entry for `model`, if any (dated snapshots like "claude-haiku-4-5-20251001" match their family).
    package func price(for model: String) -> Price? {
        let name = model.lowercased()
        return prices.first { name.hasPrefix($0.modelPrefix) }
    }

    /// Estimated USD cost, or nil when the model is not in the table.
    package func estimate(model: String, inputTokens: Int, outputTokens: Int) -> Double? {
        guard let price = price(for: model) else { return unknownModelsAreFree ? 0 : nil }
        return (Double(inputTokens) * price.inputPerMillionUSD + Double(outputTokens) * price.outputPerMillionUSD) / 1_000_000
    }

    /// Estimated USD cost of one answer.
    package func estimate(for response: LLMResponse) -> Double? {
        estimate(model: response.model, inputTokens: response.inputTokens, outputTokens: response.outputTokens)
    }
}
