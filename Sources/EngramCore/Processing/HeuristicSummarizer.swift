import Foundation

/// What a session summary is built from.
public struct SessionDigest: Sendable, Hashable {
    public var prompts: [String]
    /// The session's observations, oldest first.
    public var observations: [ObservationDigest]
    public var lastAssistantMessage: String?

    public init(prompts: [String], observations: [ObservationDigest], lastAssistantMessage: String?) {
        self.prompts = prompts
        self.observations = observations
        self.lastAssistantMessage = lastAssistantMessage
    }
}

public struct ObservationDigest: Sendable, Hashable {
    public var toolName: String?
    public var title: String
    public var summary: String
    public var filesTouched: [String]

    public init(toolName: String?, title: String, summary: String, filesTouched: [String]) {
        self.toolName = toolName
        self.title = title
        self.summary = summary
        self.filesTouched = filesTouched
    }
}

/// Heuristic session summary: what was asked, what was done, which files, how it ended.
public struct HeuristicSummarizer: Sendable {
    public init() {}

    public func summarize(_ digest: SessionDigest) -> String {
        // Placeholder until the real heuristics land.
        digest.prompts.first ?? ""
    }
}
