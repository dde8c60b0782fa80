import Foundation

/// The seed's observation record as the model wrote it, after validation and clamping.
public struct LLMObservation: Sendable, Hashable, Codable {
    /// ~10 tokens: "Added JWT auth middleware".
    public var title: String
    /// ~50 tokens: what happened and why.
    public var summary: String
    /// ~200 tokens: the compressed observation.
    public var detail: String
    public var files: [String]
    /// Function or class names added, changed or removed.
    public var functions: [String]

    public init(title: String, summary: String, detail: String, files: [String], functions: [String]) {
        self.title = title
        self.summary = summary
        self.detail = detail
        self.files = files
        self.functions = functions
    }
}
