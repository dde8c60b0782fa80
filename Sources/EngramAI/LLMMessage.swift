import Foundation

/// One turn of a conversation sent to the model.
package struct LLMMessage: Sendable, Hashable, Codable {
    /// Who said it: the person (or the caller speaking for them) or the model.
    package enum Role: String, Sendable, Hashable, Codable {
        case user
        case assistant
    }

    package var role: Role
    package var content: String

    package init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A message from the user side.
    package static func user(_ content: String) -> LLMMessage { LLMMessage(role: .user, content: content) }
}
