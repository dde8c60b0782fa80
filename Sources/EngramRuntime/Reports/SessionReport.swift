import Foundation

/// What `engram report` shows: activity over a period, the latest session, its function
/// changes, the call tree of the most changed file and the top learnings. Plain data, so the
/// terminal, Markdown and JSON renderings cannot disagree.
public struct SessionReport: Sendable, Codable, Equatable {
    /// When the report was made and the start of its period, ISO 8601 UTC.
    public var generatedAt: String
    public var since: String
    /// The period as the user gave it ("1d", "7d").
    public var period: String
    public var project: String?
    public var sessions: Int
    public var observations: Int
    public var functionsNew: Int
    public var functionsModified: Int
    public var functionsDeleted: Int
    public var compression: Compression?
    public var latestSession: LatestSession?
    /// Function changes of the latest session (or of the period when it changed none).
    public var functionChanges: [FunctionChange]
    /// Changes not listed in `functionChanges` to keep the report short.
    public var moreFunctionChanges: Int
    public var callGraph: CallGraph?
    public var learnings: [Learning]

    public struct Compression: Sendable, Codable, Equatable {
        public var count: Int
        public var avgRatio: Double
        public var avgLatencyMs: Double?
    }

    public struct LatestSession: Sendable, Codable, Equatable {
        public var id: String
        public var startedAt: String
        public var summary: String?
        public var files: [String]
    }

    public struct FunctionChange: Sendable, Codable, Equatable {
        /// new | modified | deleted
        public var change: String
        public var file: String
        public var qualifiedName: String
        public var signature: String
    }

    /// The call tree of one file: each caller with its callees in line order.
    public struct CallGraph: Sendable, Codable, Equatable {
        public var file: String
        public var callers: [Caller]
        public struct Caller: Sendable, Codable, Equatable {
            public var name: String
            public var callees: [String]
        }
    }

    public struct Learning: Sendable, Codable, Equatable {
        public var confidence: Double
        public var category: String
        public var content: String
    }
}
