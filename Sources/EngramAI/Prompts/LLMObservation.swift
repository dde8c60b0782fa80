import Foundation

/// The seed's observation record as the model wrote it, after validation and clamping.
package struct LLMObservation: Sendable, Hashable, Codable {
    /// ~10 tokens: "Added JWT auth middleware".
    package var title: String
    /// ~50 tokens: what happened and why.
    package var summary: String
    /// ~200 tokens: the compressed observation.
    package var detail: String
    package var files: [String]
    /// Function or class names added, changed or removed.
    package var functions: [String]

    package init(title: String, summary: String, detail: String, files: [String], functions: [String]) {
        self.title = title
        self.summary = summary
        self.detail = detail
        self.files = files
        self.functions = functions
    }
}
