import Foundation

/// One captured tool call, as the processor sees it after privacy filtering.
public struct ToolEvent: Sendable, Hashable {
    public var toolName: String
    public var input: JSONValue
    public var response: JSONValue
    /// The project directory the agent ran in; file paths are shown relative to it.
    public var cwd: String?
    public var durationMs: Int?
    /// Set when the call failed (PostToolUseFailure): Claude Code's error text; `response` is then empty.
    public var error: String?
    /// The user interrupted the failed call.
    public var isInterrupt: Bool
    /// The prompt that caused the call.
    public var promptID: String?

    public init(
        toolName: String, input: JSONValue, response: JSONValue, cwd: String? = nil, durationMs: Int? = nil,
        error: String? = nil, isInterrupt: Bool = false, promptID: String? = nil
    ) {
        self.toolName = toolName
        self.input = input
        self.response = response
        self.cwd = cwd
        self.durationMs = durationMs
        self.error = error
        self.isInterrupt = isInterrupt
        self.promptID = promptID
    }

    /// Whether this is a failed call.
    public var failed: Bool { error != nil }
}

/// The seed's progressive-disclosure record: title (~10 tokens), summary (~50), detail (~200).
public struct CompressedObservation: Sendable, Hashable, Codable {
    public var title: String
    public var summary: String
    public var detail: String
    /// Paths relative to the project root when they lie inside it.
    public var filesTouched: [String]
    /// Names of functions or classes the event added, changed or removed, when the compressor can tell.
    public var functionsHint: [String]

    public init(title: String, summary: String, detail: String, filesTouched: [String] = [], functionsHint: [String] = []) {
        self.title = title
        self.summary = summary
        self.detail = detail
        self.filesTouched = filesTouched
        self.functionsHint = functionsHint
    }
}
