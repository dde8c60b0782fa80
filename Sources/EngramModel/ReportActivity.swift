/// A period's activity as `ReportStore.activity` reads it.
public struct ReportActivity: Sendable, Equatable {
    public var sessions: Int
    public var observations: Int
    /// `compress.done` events of the period; nil when none carried a ratio.
    public var compression: Compression?
    public var latestSession: LatestSession?
    /// Active learnings, most confident first, then most seen, then oldest.
    public var learnings: [LearningRecord]
    /// The period's code map changes, oldest first.
    public var changes: [CodeMapChange]
    /// The latest session's own changes in the period, oldest first.
    public var latestSessionChanges: [CodeMapChange]

    public init(
        sessions: Int, observations: Int, compression: Compression?, latestSession: LatestSession?, learnings: [LearningRecord],
        changes: [CodeMapChange], latestSessionChanges: [CodeMapChange]
    ) {
        self.sessions = sessions; self.observations = observations; self.compression = compression; self.latestSession = latestSession
        self.learnings = learnings; self.changes = changes; self.latestSessionChanges = latestSessionChanges
    }

    public struct Compression: Sendable, Equatable {
        public var count: Int
        public var avgRatio: Double
        public var avgLatencyMs: Double?

        public init(count: Int, avgRatio: Double, avgLatencyMs: Double?) {
            self.count = count; self.avgRatio = avgRatio; self.avgLatencyMs = avgLatencyMs
        }
    }

    public struct LatestSession: Sendable, Equatable {
        public var id: String
        public var project: String
        public var startedAt: String
        public var summary: String?
        /// The files its observations touched, as stored, each once, in the order first touched.
        public var files: [String]

        public init(id: String, project: String, startedAt: String, summary: String?, files: [String]) {
            self.id = id; self.project = project; self.startedAt = startedAt; self.summary = summary; self.files = files
        }
    }
}
