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
    /// Precomputed classification (see `PyToken.classify`), so the parser avoids string hashing.
    var flags: UInt8 = 0

    static let keywordFlag: UInt8 = 0x40
    static let compareFlag: UInt8 = 0x20
    /// Low bits: binary-operator precedence level + 1 (1 = `|` … 6 = `*`), 0 when not a binary operator.
    static let levelMask: UInt8 = 0x0F

    static func classify(_ kind: PyTokenKind, _ text: String) -> UInt8 {
        switch kind {
        case .name:
            return PyParser.keywords.contains(text) ? keywordFlag : 0
        case .op:
            switch text {
            case "|": return 1
            case "^": return 2
            case "&": return 3
            case "<<", ">>": return 4
            case "+", "-": return 5
            case "*", "/", "//", "%", "@": return 6
            case "==", "!=", "<", ">", "<=", ">=": return compareFlag
            default: return 0
            }
        default:
            return 0
        }
    }
}
