import EngramAI
import EngramCore
import Foundation
import GRDB

/// Keeps LLM token usage in event_log (`llm.usage` rows with tokens_in/out, model, day and
/// estimated cost), so the daily budget survives restarts and `report` can show spending.
public struct EventLogUsageLedger: UsageLedger {
    let engram: Engram

    public init(_ engram: Engram) { self.engram = engram }

    public func tokensUsed(on day: String) async throws -> Int {
        try await engram.store.writer.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COALESCE(SUM(COALESCE(tokens_in, 0) + COALESCE(tokens_out, 0)), 0) FROM event_log
                WHERE event_type = 'llm.usage' AND json_extract(data, '$.day') = ?
                """, arguments: [day]) ?? 0
        }
    }

    public func record(_ usage: LLMUsage) async throws {
        var data: [String: JSONValue] = ["day": .string(usage.day), "model": .string(usage.model)]
        if let cost = usage.estimatedCostUSD { data["cost_usd"] = .number((cost * 1_000_000).rounded() / 1_000_000) }
        let event = EventLog.Event("llm.usage", .object(data), tokensIn: usage.inputTokens, tokensOut: usage.outputTokens)
        try await engram.store.writer.write { db in try engram.events.record(event, in: db) }
    }
}
