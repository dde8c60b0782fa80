import Foundation

/// What `engram report` shows: activity over a period, the latest session, its function
/// changes, the call tree of the most changed file and the top learnings. Plain data, so the
/// terminal, Markdown and JSON renderings cannot disagree.
package struct SessionReport: Sendable, Codable, Equatable {
    /// When the report was made and the start of its period, ISO 8601 UTC.
    package var generatedAt: String
    package var since: String
    /// The period as the user gave it ("1d", "7d").
    package var period: String
    package var project: String?
    package var sessions: Int
    package var observations: Int
    package var functionsNew: Int
    package var functionsModified: Int
    package var functionsDeleted: Int
    package var compression: Compression?
    package var latestSession: LatestSession?
    /// Function changes of the latest session (or of the period when it changed none).
    package var functionChanges: [FunctionChange]
    /// Changes not listed in `functionChanges` to keep the report short.
    package var moreFunctionChanges: Int
    package var callGraph: CallGraph?
    package var learnings: [Learning]

    package struct Compression: Sendable, Codable, Equatable {
        package var count: Int
        package var avgRatio: Double
        package var avgLatencyMs: Double?
    }

    package struct LatestSession: Sendable, Codable, Equatable {
        package var id: String
        package var startedAt: String
        package var summary: String?
        package var files: [String]
    }

    package struct FunctionChange: Sendable, Codable, Equatable {
        /// new | modified | deleted
        package var change: String
        package var file: String
        package var qualifiedName: String
        package var signature: String
    }

    /// The call tree of one file: each caller with its callees in line order.
    package struct CallGraph: Sendable, Codable, Equatable {
        package var file: String
        package var callers: [Caller]
        package struct Caller: Sendable, Codable, Equatable {
            package var name: String
            package var callees: [String]
        }
    }

    package struct Learning: Sendable, Codable, Equatable {
        package var confidence: Double
        package var category: String
        package var content: String
    }
}
