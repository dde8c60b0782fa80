import Foundation

/// One recorded run of a library function (a call or a test case), for its history and stats.
public struct FunctionRunRecord: Sendable, Hashable, Codable {
    public var project: String
    public var name: String
    public var version: Int
    /// `run` or `test`.
    public var kind: String
    /// A hash of the arguments' JSON, so repeated calls group without storing their values.
    public var argumentsHash: String
    /// The sandbox status (`ok`, `error`, `timeout`, …).
    public var status: String
    public var durationMs: Double
    public var peakMemoryKb: Int
    public var createdAt: String

    public init(
        project: String, name: String, version: Int, kind: String, argumentsHash: String, status: String,
        durationMs: Double, peakMemoryKb: Int, createdAt: String
    ) {
        self.project = project
        self.name = name
        self.version = version
        self.kind = kind
        self.argumentsHash = argumentsHash
        self.status = status
        self.durationMs = durationMs
        self.peakMemoryKb = peakMemoryKb
        self.createdAt = createdAt
    }
}
