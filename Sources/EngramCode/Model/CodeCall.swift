import Foundation

/// One call edge: who calls what, where.
public struct CodeCall: Sendable, Hashable, Codable {
    /// Qualified name of the enclosing def (or class body), `<module>` at module level.
    public var callerName: String
    /// The callee as the seed writes it: `foo`, `self.bar()`, `db.query()`, `a.b.c()`.
    public var calleeName: String
    /// Best guess at the target, nil when unknown.
    public var calleeResolved: String?
    public var resolution: CallResolution
    public var lineNumber: Int

    /// JSON keys match the stored columns and `engram code calls --json`.
    enum CodingKeys: String, CodingKey {
        case callerName = "caller_name", calleeName = "callee_name", calleeResolved = "callee_resolved", resolution
        case lineNumber = "line_number"
    }

    public init(callerName: String, calleeName: String, calleeResolved: String?,
                resolution: CallResolution, lineNumber: Int) {
        self.callerName = callerName
        self.calleeName = calleeName
        self.calleeResolved = calleeResolved
        self.resolution = resolution
        self.lineNumber = lineNumber
    }

    /// Caller name used for module-level code.
    public static let moduleCaller = "<module>"
}
