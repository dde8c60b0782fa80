import EngramCore
import EngramSandbox
import Foundation

/// What `save` did with one function: `saved` (a new latest version), `unchanged` (same body as the newest
/// version) or `failing` (a new version whose tests failed, kept from becoming latest).
public struct FunctionSaveOutcome: Sendable, Hashable, Codable {
    public var name: String
    public var version: Int
    public var status: String
    public var tests: TestCounts
    public var complexity: Int
    public var riskScore: Int
    public var riskFindings: [String]

    public struct TestCounts: Sendable, Hashable, Codable {
        public var passed: Int
        public var failed: Int
    }
}

/// One test case's outcome.
public struct FunctionCaseResult: Sendable, Hashable, Codable {
    public var `case`: Int
    public var status: String
    public var expected: JSONValue
    public var got: JSONValue
}

/// The outcome of running a function's test cases.
public struct FunctionTestReport: Sendable, Hashable, Codable {
    public var name: String
    public var version: Int
    public var passed: Int
    public var failed: Int
    public var results: [FunctionCaseResult]
    /// Set when the sandbox run itself did not finish (timeout, memory, refused): every case then counts as failed.
    public var sandbox: SandboxResult?
}

/// The outcome of one function call: the sandbox's result plus the JSON-encoded return value.
public struct FunctionRunOutcome: Sendable, Hashable {
    public var name: String
    public var version: Int
    public var sandbox: SandboxResult
    /// The return value as JSON text, when the call returned.
    public var result: String?
}

/// Run statistics of one version.
public struct FunctionVersionStats: Sendable, Hashable, Codable {
    public var version: Int
    public var runs: Int
    public var successRate: Double
    public var p50Ms: Double
    public var p95Ms: Double
}

/// Run statistics of a function, per version.
public struct FunctionStats: Sendable, Hashable, Codable {
    public var name: String
    public var runs: Int
    public var successRate: Double
    public var versions: [FunctionVersionStats]
}

/// What changed between two versions.
public struct FunctionDiff: Sendable, Hashable, Codable {
    public var name: String
    public var from: Int
    public var to: Int
    public var diff: String
    public var signatureChanged: Bool
    public var oldSignature: String
    public var newSignature: String
    public var dependenciesAdded: [String]
    public var dependenciesRemoved: [String]
    public var modulesAdded: [String]
    public var modulesRemoved: [String]
}
