import Foundation

/// Why a model's answer could not be used. The caller keeps its heuristic result.
package enum ModelOutputError: Error, LocalizedError, Sendable, Equatable {
    /// The answer was empty or only whitespace.
    case empty
    /// No JSON object or array could be found in the answer.
    case noJSON
    /// Something looked like JSON but did not parse.
    case invalidJSON
    /// A required field is absent.
    case missingField(String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String)
    /// The title is empty after trimming.
    case emptyTitle

    package var errorDescription: String? {
        switch self {
        case .empty: "The model returned an empty answer; the heuristic result is kept."
        case .noJSON: "The model's answer contained no JSON; the heuristic result is kept. A stronger model may follow the format better."
        case .invalidJSON: "The model's JSON did not parse; the heuristic result is kept."
        case .missingField(let field): "The model's JSON lacks \"\(field)\"; the heuristic result is kept."
        case .wrongType(let field, let expected): "The model's \"\(field)\" is not \(expected); the heuristic result is kept."
        case .emptyTitle: "The model returned an empty title; the heuristic result is kept."
        }
    }
}
