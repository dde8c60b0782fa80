import Foundation

/// One turn of a conversation sent to the model.
public struct LLMMessage: Sendable, Hashable, Codable {
    /// Who said it: the person (or the caller speaking for them) or the model.
    public enum Role: String, Sendable, Hashable, Codable {
        case user
        case assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A message from the user side.
    public static func user(_ content: String) -> LLMMessage { LLMMessage(role: .user, content: content) }
}
