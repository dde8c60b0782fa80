import Foundation

/// What happened in a session, as the caller gathered it from the store.
package struct SessionSummaryInput: Sendable, Hashable {
    /// The person's prompts, oldest first.
    package var userPrompts: [String]
    /// One line per observation, e.g. "Edit: Added JWT auth middleware — ...".
    package var observations: [String]
    /// Files the session touched, relative to the project root.
    package var files: [String]
    /// The agent's final message, when the Stop hook had one.
    package var lastAssistantMessage: String?

    package init(userPrompts: [String], observations: [String], files: [String] = [], lastAssistantMessage: String? = nil) {
        self.userPrompts = userPrompts
        self.observations = observations
        self.files = files
        self.lastAssistantMessage = lastAssistantMessage
    }
}
