import Foundation

/// One saved version of a library function, as stored. Versions of a name count up from 1; exactly one (or none,
/// while every version is failing) is the latest.
public struct FunctionVersionRecord: Sendable, Hashable, Codable {
    public var project: String
    public var name: String
    public var version: Int
    public var signature: String
    public var docstring: String?
    public var summary: String?
    public var source: String
    public var bodyHash: String
    /// Other library functions this one calls.
    public var dependencies: [String]
    /// Modules it imports.
    public var modules: [String]
    public var complexity: Int
    /// 0 (nothing risky seen) to 100; advice, not the boundary.
    public var riskScore: Int
    public var riskFindings: [String]
    /// The test cases as JSON text (`[{"args", "kwargs", "expect" | {"raises"}}]`), nil when none.
    public var testsJSON: String?
    public var testsPassed: Int?
    public var testsFailed: Int?
    /// `ok`, or `failing` when its tests failed and it was kept from becoming latest.
    public var status: String
    public var isLatest: Bool
    public var createdAt: String
    public var author: String?
    /// For a rollback: the version this one copies.
    public var restoredFrom: Int?

    public init(
        project: String, name: String, version: Int = 0, signature: String, docstring: String?, summary: String?,
        source: String, bodyHash: String, dependencies: [String], modules: [String], complexity: Int, riskScore: Int,
        riskFindings: [String], testsJSON: String?, testsPassed: Int?, testsFailed: Int?, status: String,
        isLatest: Bool, createdAt: String, author: String?, restoredFrom: Int?
    ) {
        self.project = project
        self.name = name
        self.version = version
        self.signature = signature
        self.docstring = docstring
        self.summary = summary
        self.source = source
        self.bodyHash = bodyHash
        self.dependencies = dependencies
        self.modules = modules
        self.complexity = complexity
        self.riskScore = riskScore
        self.riskFindings = riskFindings
        self.testsJSON = testsJSON
        self.testsPassed = testsPassed
        self.testsFailed = testsFailed
        self.status = status
        self.isLatest = isLatest
        self.createdAt = createdAt
        self.author = author
        self.restoredFrom = restoredFrom
    }
}
