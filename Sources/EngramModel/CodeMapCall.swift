/// One call found in a stored snapshot of a file: which definition calls what, as written and as resolved.
public struct CodeMapCall: Sendable, Hashable, Codable {
    public var callerName: String
    public var calleeName: String
    public var calleeResolved: String?
    /// `direct`, `self_method`, `import`, `value` (found by following values) or `unresolved`.
    public var resolution: String
    public var lineNumber: Int?

    public init(callerName: String, calleeName: String, calleeResolved: String?, resolution: String, lineNumber: Int?) {
        self.callerName = callerName; self.calleeName = calleeName; self.calleeResolved = calleeResolved
        self.resolution = resolution; self.lineNumber = lineNumber
    }
}
