import Foundation

/// A file that could not be analysed. The file is skipped; callers log the message.
package enum CodeParseError: Error, LocalizedError, Sendable, Equatable {
    /// Source does not parse (it may be mid-edit); line and column are 1-based.
    case syntax(path: String, line: Int, column: Int, message: String)
    /// Bytes are not text in the declared/assumed encoding.
    case encoding(path: String, message: String)
    /// Nesting deeper than the parser allows (protects the stack).
    case tooDeep(path: String, line: Int, column: Int)

    package var errorDescription: String? {
        switch self {
        case let .syntax(path, line, column, message):
            return "\(path):\(line):\(column): syntax error: \(message). Fix the file (it may be mid-edit); it was skipped."
        case let .encoding(path, message):
            return "\(path): cannot decode source: \(message). Save it as UTF-8 or add a coding declaration; it was skipped."
        case let .tooDeep(path, line, column):
            return "\(path):\(line):\(column): nesting too deep to analyse; the file was skipped."
        }
    }
}
