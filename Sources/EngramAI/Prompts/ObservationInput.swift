import Foundation

/// What the caller knows about one tool call, already privacy-filtered and made relative to the project.
public struct ObservationInput: Sendable, Hashable {
    public var toolName: String
    /// Paths the event touched, relative to the project root.
    public var files: [String]
    /// The tool's input as text (JSON or a command line).
    public var input: String
    /// The tool's response as text.
    public var response: String

    public init(toolName: String, files: [String] = [], input: String, response: String) {
        self.toolName = toolName
        self.files = files
        self.input = input
        self.response = response
    }
}
