/// The seed's eval queries' answers, as `ReportStore.evalFigures` reads them. Averages are nil when there was
/// nothing to average. Event figures are of the period; learnings, the call graph and the queue are as they are now.
public struct EvalFigures: Sendable, Equatable {
    /// `compress.done` events: count, mean `data.ratio`, mean duration; `compressionErrors` counts `compress.error`.
    public var compression: Average
    public var compressionRatio: Double?
    public var compressionErrors: Int
    /// Per UTC day, oldest first.
    public var compressionByDay: [Day]
    /// `context.token_budget` events: count, mean `data.total_tokens`, mean `data.budget`.
    public var contextCount: Int
    public var avgContextTokens: Double?
    public var avgContextBudget: Double?
    /// `search.query` events: count, mean duration, mean `data.result_count`.
    public var searchCount: Int
    public var avgSearchMs: Double?
    public var avgSearchResults: Double?
    /// `ast.scan` events: how many, and the sums of their `data.call_edges` and `data.unresolved_calls`.
    public var scans: Int
    public var scanEdges: Int
    public var scanUnresolved: Int
    /// Calls of the latest snapshot of every file, and how many of them are unresolved.
    public var callEdges: Int
    public var unresolvedCalls: Int
    /// The unresolved callees of the latest snapshots, most frequent first.
    public var topUnresolved: [UnresolvedCallee]
    /// Events carrying token counts: how many, their sums, and the sum of `data.cost_usd` (nil when none had one).
    public var tokenEvents: Int
    public var tokensIn: Int
    public var tokensOut: Int
    public var costUSD: Double?
    /// Active learnings (the project's and the global ones), those with confidence ≥ 0.85, the manual ones.
    public var activeLearnings: Int
    public var confidentLearnings: Int
    public var manualLearnings: Int
    /// Queue items now `failed`, and the error of the one failed last.
    public var failedItems: Int
    public var lastFailure: String?
    /// Captures lost in the period (the sum of `capture.spill` events' `data.lost`, of every project).
    public var lostCaptures: Int

    public init() {
        compression = Average(count: 0, mean: nil); compressionErrors = 0; compressionByDay = []; contextCount = 0; searchCount = 0
        scans = 0; scanEdges = 0; scanUnresolved = 0; callEdges = 0; unresolvedCalls = 0; topUnresolved = []; tokenEvents = 0
        tokensIn = 0; tokensOut = 0; activeLearnings = 0; confidentLearnings = 0; manualLearnings = 0; failedItems = 0; lostCaptures = 0
    }

    /// A count and a mean duration in milliseconds.
    public struct Average: Sendable, Equatable {
        public var count: Int
        public var mean: Double?
        public init(count: Int, mean: Double?) { self.count = count; self.mean = mean }
    }

    public struct Day: Sendable, Equatable {
        public var day: String
        public var count: Int
        public var avgRatio: Double?
        public var avgLatencyMs: Double?
        public init(day: String, count: Int, avgRatio: Double?, avgLatencyMs: Double?) {
            self.day = day; self.count = count; self.avgRatio = avgRatio; self.avgLatencyMs = avgLatencyMs
        }
    }

    public struct UnresolvedCallee: Sendable, Equatable {
        public var callee: String
        public var occurrences: Int
        /// Distinct functions making the call.
        public var functions: Int
        public init(callee: String, occurrences: Int, functions: Int) {
            self.callee = callee; self.occurrences = occurrences; self.functions = functions
        }
    }
}
