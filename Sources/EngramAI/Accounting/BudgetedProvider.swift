import Foundation

/// Refuses to send anything once the daily `TokenBudget` is spent, and records each answer's usage.
package struct BudgetedProvider: LLMProvider {
    private let base: any LLMProvider
    private let budget: TokenBudget
    private let costs: CostEstimator

    package init(wrapping base: any LLMProvider, budget: TokenBudget, costs: CostEstimator = CostEstimator()) {
        self.base = base
        self.budget = budget
        self.costs = costs
    }

    /// Throws `LLMError.budgetExhausted` without sending when the budget is spent.
    package func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await budget.ensureAvailable()
        let response = try await base.complete(request)
        // The tokens are spent whatever happens next; a ledger failure must not throw away a paid answer.
        _ = try? await budget.record(response, estimatedCostUSD: costs.estimate(for: response))
        return response
    }
}
