/// What `BriefingStore.material` reads for one project's briefing, before the engine chooses and renders.
public struct BriefingMaterial: Sendable, Equatable {
    public var sessions: [Session]
    public var definitions: [Definition]
    public var fileEdits: [FileEdit]
    public var learnings: [LearningRecord]
    public var observations: [ObservationRecord]

    public init(
        sessions: [Session] = [], definitions: [Definition] = [], fileEdits: [FileEdit] = [], learnings: [LearningRecord] = [],
        observations: [ObservationRecord] = []
    ) {
        self.sessions = sessions; self.definitions = definitions; self.fileEdits = fileEdits; self.learnings = learnings
        self.observations = observations
    }

    /// A recent session and what its observations did.
    public struct Session: Sendable, Equatable {
        public var id: String
        public var startedAt: String
        public var summary: String?
        /// The first prompt recorded in the session.
        public var firstPrompt: String?
        public var observations: Int
        /// Observations of an editing tool (Edit, MultiEdit, Write, NotebookEdit).
        public var edits: Int
        /// Shell observations whose title tells of a test run (passed, failed, build error).
        public var tests: Int
        /// Observations titled `Committed ...`.
        public var commits: Int
        /// Observations of failed tool calls (`PostToolUseFailure`).
        public var errors: Int

        public init(
            id: String, startedAt: String, summary: String?, firstPrompt: String?, observations: Int, edits: Int = 0, tests: Int = 0,
            commits: Int = 0, errors: Int = 0
        ) {
            self.id = id; self.startedAt = startedAt; self.summary = summary; self.firstPrompt = firstPrompt
            self.observations = observations; self.edits = edits; self.tests = tests; self.commits = commits; self.errors = errors
        }
    }

    /// One definition of one stored snapshot of a recently snapshotted file.
    public struct Definition: Sendable, Equatable {
        public var file: String
        /// The time of the snapshot this definition is of.
        public var snapshotAt: String
        /// The time of the file's latest snapshot.
        public var latestSnapshotAt: String
        public var symbol: CodeMapSymbol

        public init(file: String, snapshotAt: String, latestSnapshotAt: String, symbol: CodeMapSymbol) {
            self.file = file; self.snapshotAt = snapshotAt; self.latestSnapshotAt = latestSnapshotAt; self.symbol = symbol
        }
    }

    /// A file recent edits touched: how many of them, and the latest one's time and title.
    public struct FileEdit: Sendable, Equatable {
        public var file: String
        public var lastAt: String
        public var count: Int
        public var lastTitle: String

        public init(file: String, lastAt: String, count: Int, lastTitle: String) {
            self.file = file; self.lastAt = lastAt; self.count = count; self.lastTitle = lastTitle
        }
    }
}
