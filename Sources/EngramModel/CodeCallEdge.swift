/// A call as a query answers it: the call and where it was stored (the caller's file and that file's snapshot time).
public struct CodeCallEdge: Sendable, Codable, Equatable {
    public var callerFile: String
    public var callerName: String
    public var calleeName: String
    public var calleeResolved: String?
    /// `direct`, `self_method`, `import`, `value` (found by following values) or `unresolved`.
    public var resolution: String
    public var lineNumber: Int?
    public var snapshotAt: String

    public init(
        callerFile: String, callerName: String, calleeName: String, calleeResolved: String?, resolution: String,
        lineNumber: Int?, snapshotAt: String
    ) {
        self.callerFile = callerFile; self.callerName = callerName; self.calleeName = calleeName
        self.calleeResolved = calleeResolved; self.resolution = resolution; self.lineNumber = lineNumber; self.snapshotAt = snapshotAt
    }
}
