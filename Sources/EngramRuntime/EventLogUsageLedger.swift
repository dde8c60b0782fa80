import EngramAI
import EngramCore
import Foundation

/// Keeps LLM token usage in event_log (`llm.usage` rows with tokens_in/out, model, day and
/// estimated cost), so the daily budget survives restarts and `report` can show spending.
package struct EventLogUsageLedger: UsageLedger {
    let engram: Engram

    package init(_ engram: Engram) { self.engram = engram }

    package func tokensUsed(on day: String) async throws -> Int {
        try engram.stores.events.tokens(type: "llm.usage", day: day)
    }

    package func record(_ usage: LLMUsage) async throws {
        var data: [String: JSONValue] = ["day": .string(usage.day), "model": .string(usage.model)]
        if let cost = usage.estimatedCostUSD { data["cost_usd"] = .number((cost * 1_000_000).rounded() / 1_000_000) }
        let event = EventLog.Event("llm.usage", .object(data), tokensIn: usage.inputTokens, tokensOut: usage.outputTokens)
        try engram.events.append([event], to: engram.stores.events)
    }
}
