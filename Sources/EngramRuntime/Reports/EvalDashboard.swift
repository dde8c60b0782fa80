/// The seed's performance dashboard (`engram report --eval`), computed from event_log,
/// learnings and call_graph. Averages are nil when there was nothing to average.
package struct EvalDashboard: Sendable, Codable, Equatable {
    package var generatedAt: String
    package var since: String
    package var period: String
    package var project: String?
    package var compression: Compression
    package var compressionByDay: [CompressionDay]
    package var context: Context
    package var search: Search
    package var ast: AST
    package var costs: Costs
    package var learnings: Learnings
    package var topUnresolvedCalls: [UnresolvedCall]
    /// Items set aside after every attempt, with their latest error, and captures lost outright; nil when none.
    package var queue: Queue?

    package struct Queue: Sendable, Codable, Equatable {
        /// Queue items now `failed` (set aside after `processing.max_attempts`; payloads kept).
        package var failed: Int
        package var lastError: String?
        /// Hooks in the period that could not write their item at all (disk full), from `capture.spill` events.
        package var lostCaptures: Int
    }

    package struct Compression: Sendable, Codable, Equatable {
        package var count: Int
        package var avgRatio: Double?
        package var avgLatencyMs: Double?
        package var errors: Int
    }

    package struct CompressionDay: Sendable, Codable, Equatable {
        package var day: String
        package var count: Int
        package var avgRatio: Double?
        package var avgLatencyMs: Double?
    }

    package struct Context: Sendable, Codable, Equatable {
        package var count: Int
        package var avgTokens: Double?
        package var avgBudget: Double?
    }

    package struct Search: Sendable, Codable, Equatable {
        package var count: Int
        package var avgLatencyMs: Double?
        package var avgResults: Double?
    }

    /// Call resolution: from ast.scan events when there are any, else from the stored call graph.
    package struct AST: Sendable, Codable, Equatable {
        /// "ast.scan", "call_graph" or "none".
        package var source: String
        package var callEdges: Int
        package var unresolved: Int
        package var resolutionRate: Double?
    }

    package struct Costs: Sendable, Codable, Equatable {
        /// Events that carry token counts (LLM calls).
        package var apiCalls: Int
        package var tokensIn: Int
        package var tokensOut: Int
        /// Sum of `data.cost_usd`; nil when no event carried a cost.
        package var estimatedCostUSD: Double?
    }

    package struct Learnings: Sendable, Codable, Equatable {
        package var active: Int
        /// Active with confidence ≥ 0.85.
        package var highConfidence: Int
        package var manual: Int
    }

    package struct UnresolvedCall: Sendable, Codable, Equatable {
        package var callee: String
        package var occurrences: Int
        package var functions: Int
    }
}
