import Foundation

/// Internal parse failure with position; mapped to `CodeParseError` at the API boundary.
struct PySyntaxError: Error, Sendable {
    var line: Int
    var col: Int
    var message: String
    var tooDeep = false
}
