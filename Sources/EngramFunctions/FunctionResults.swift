import EngramCore
import EngramSandbox
import Foundation

/// What `save` did with one function: `saved` (a new latest version), `unchanged` (same body as the newest
/// version) or `failing` (a new version whose tests failed, kept from becoming latest).
package struct FunctionSaveOutcome: Sendable, Hashable, Codable {
    package var name: String
    package var version: Int
    package var status: String
    package var tests: TestCounts
    package var complexity: Int
    package var riskScore: Int
    package var riskFindings: [String]

    package struct TestCounts: Sendable, Hashable, Codable {
        package var passed: Int
        package var failed: Int
    }
}

/// One test case's outcome.
package struct FunctionCaseResult: Sendable, Hashable, Codable {
    package var `case`: Int
    package var status: String
    package var expected: JSONValue
    package var got: JSONValue
}

/// The outcome of running a function's test cases.
package struct FunctionTestReport: Sendable, Hashable, Codable {
    package var name: String
    package var version: Int
    package var passed: Int
    package var failed: Int
    package var results: [FunctionCaseResult]
    /// Set when the sandbox run itself did not finish (timeout, memory, refused): every case then counts as failed.
    package var sandbox: SandboxResult?
}

/// The outcome of one function call: the sandbox's result plus the JSON-encoded return value.
package struct FunctionRunOutcome: Sendable, Hashable {
    package var name: String
    package var version: Int
    package var sandbox: SandboxResult
    /// The return value as JSON text, when the call returned.
    package var result: String?
}

/// Run statistics of one version.
package struct FunctionVersionStats: Sendable, Hashable, Codable {
    package var version: Int
    package var runs: Int
    package var successRate: Double
    package var p50Ms: Double
    package var p95Ms: Double
}

/// Run statistics of a function, per version.
package struct FunctionStats: Sendable, Hashable, Codable {
    package var name: String
    package var runs: Int
    package var successRate: Double
    package var versions: [FunctionVersionStats]
}

/// What changed between two versions.
package struct FunctionDiff: Sendable, Hashable, Codable {
    package var name: String
    package var from: Int
    package var to: Int
    package var diff: String
    package var signatureChanged: Bool
    package var oldSignature: String
    package var newSignature: String
    package var dependenciesAdded: [String]
    package var dependenciesRemoved: [String]
    package var modulesAdded: [String]
    package var modulesRemoved: [String]
}
