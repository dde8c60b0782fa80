import Foundation

/// The kinds of work engram asks a model to do; each may use a different model.
package enum LLMTask: String, Sendable, Hashable, Codable, CaseIterable {
    /// Compressing one tool event: frequent and small, so a fast Haiku-class model.
    case observation
    /// Summarising a session: rare and longer, so a stronger Sonnet-class model.
    case summary
    /// Extracting learnings after a summary; uses the summary model unless configured.
    case learnings
}
