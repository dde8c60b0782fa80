import Foundation

/// Token categories produced by `PyTokenizer`.
enum PyTokenKind: UInt8, Sendable {
    case name, number, string, op, newline, indent, dedent, endMarker
}

/// One Python token; positions are 1-based lines and 0-based byte columns.
struct PyToken: Sendable {
    var kind: PyTokenKind
    var text: String
    var line: Int32
    var col: Int32
    var endLine: Int32
    /// Byte offsets into the normalised source.
    var start: Int32
    var end: Int32
}

/// Internal parse failure with position; mapped to `CodeParseError` at the API boundary.
struct PySyntaxError: Error, Sendable {
    var line: Int
    var col: Int
    var message: String
    var tooDeep = false
}
