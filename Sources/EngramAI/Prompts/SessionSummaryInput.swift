import Foundation

/// What happened in a session, as the caller gathered it from the store.
public struct SessionSummaryInput: Sendable, Hashable {
    /// The person's prompts, oldest first.
    public var userPrompts: [String]
    /// One line per observation, e.g. "Edit: Added JWT auth middleware — ...".
    public var observations: [String]
    /// Files the session touched, relative to the project root.
    public var files: [String]
    /// The agent's final message, when the Stop hook had one.
    public var lastAssistantMessage: String?

    public init(userPrompts: [String], observations: [String], files: [String] = [], lastAssistantMessage: String? = nil) {
        self.userPrompts = userPrompts
        self.observations = observations
        self.files = files
        self.lastAssistantMessage = lastAssistantMessage
    }
}
