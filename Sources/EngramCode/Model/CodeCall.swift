import Foundation

/// One call edge: who calls what, where.
package struct CodeCall: Sendable, Hashable, Codable {
    /// Qualified name of the enclosing def (or class body), `<module>` at module level.
    package var callerName: String
    /// The callee as the seed writes it: `foo`, `self.bar()`, `db.query()`, `a.b.c()`.
    package var calleeName: String
    /// Best guess at the target, nil when unknown.
    package var calleeResolved: String?
    package var resolution: CallResolution
    package var lineNumber: Int

    /// JSON keys match the stored columns and `engram code calls --json`.
    enum CodingKeys: String, CodingKey {
        case callerName = "caller_name", calleeName = "callee_name", calleeResolved = "callee_resolved", resolution
        case lineNumber = "line_number"
    }

    package init(
        callerName: String, calleeName: String, calleeResolved: String?,
        resolution: CallResolution, lineNumber: Int
    ) {
        self.callerName = callerName
        self.calleeName = calleeName
        self.calleeResolved = calleeResolved
        self.resolution = resolution
        self.lineNumber = lineNumber
    }

    /// Caller name used for module-level code.
    package static let moduleCaller = "<module>"
}
