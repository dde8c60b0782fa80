import Foundation

/// One stored column's value as it crosses the portability seam: what the row holds, untyped by the schema (an export
/// line says what kind each column should be, `ExportFormat.Kind`). Hashable, so a row's identity can be a set key.
public enum ColumnValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    public var isNull: Bool { self == .null }

    /// The text of a text value; nil for any other.
    public var text: String? {
        if case .text(let s) = self { return s }
        return nil
    }
}
