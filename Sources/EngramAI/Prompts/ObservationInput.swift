import Foundation

/// What the caller knows about one tool call, already privacy-filtered and made relative to the project.
package struct ObservationInput: Sendable, Hashable {
    package var toolName: String
    /// Paths the event touched, relative to the project root.
    package var files: [String]
    /// The tool's input as text (JSON or a command line).
    package var input: String
    /// The tool's response as text.
    package var response: String

    package init(toolName: String, files: [String] = [], input: String, response: String) {
        self.toolName = toolName
        self.files = files
        self.input = input
        self.response = response
    }
}
