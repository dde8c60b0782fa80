/// The seed's performance dashboard (`engram report --eval`), computed from event_log,
/// learnings and call_graph. Averages are nil when there was nothing to average.
public struct EvalDashboard: Sendable, Codable, Equatable {
    public var generatedAt: String
    public var since: String
    public var period: String
    public var project: String?
    public var compression: Compression
    public var compressionByDay: [CompressionDay]
    public var context: Context
    public var search: Search
    public var ast: AST
    public var costs: Costs
    public var learnings: Learnings
    public var topUnresolvedCalls: [UnresolvedCall]
    /// Items set aside after every attempt, with their latest error, and captures lost outright; nil when none.
    public var queue: Queue?

    public struct Queue: Sendable, Codable, Equatable {
        /// Queue items now `failed` (set aside after `processing.max_attempts`; payloads kept).
        public var failed: Int
        public var lastError: String?
        /// Hooks in the period that could not write their item at all (disk full), from `capture.spill` events.
        public var lostCaptures: Int
    }

    public struct Compression: Sendable, Codable, Equatable {
        public var count: Int
        public var avgRatio: Double?
        public var avgLatencyMs: Double?
        public var errors: Int
    }

    public struct CompressionDay: Sendable, Codable, Equatable {
        public var day: String
        public var count: Int
        public var avgRatio: Double?
        public var avgLatencyMs: Double?
    }

    public struct Context: Sendable, Codable, Equatable {
        public var count: Int
        public var avgTokens: Double?
        public var avgBudget: Double?
    }

    public struct Search: Sendable, Codable, Equatable {
        public var count: Int
        public var avgLatencyMs: Double?
        public var avgResults: Double?
    }

    /// Call resolution: from ast.scan events when there are any, else from the stored call graph.
    public struct AST: Sendable, Codable, Equatable {
        /// "ast.scan", "call_graph" or "none".
        public var source: String
        public var callEdges: Int
        public var unresolved: Int
        public var resolutionRate: Double?
    }

    public struct Costs: Sendable, Codable, Equatable {
        /// Events that carry token counts (LLM calls).
        public var apiCalls: Int
        public var tokensIn: Int
        public var tokensOut: Int
        /// Sum of `data.cost_usd`; nil when no event carried a cost.
        public var estimatedCostUSD: Double?
    }

    public struct Learnings: Sendable, Codable, Equatable {
        public var active: Int
        /// Active with confidence ≥ 0.85.
        public var highConfidence: Int
        public var manual: Int
    }

    public struct UnresolvedCall: Sendable, Codable, Equatable {
        public var callee: String
        public var occurrences: Int
        public var functions: Int
    }
}
