/// One change of a definition (`new`, `modified` or `deleted`) as a snapshot recorded it.
public struct CodeMapChange: Sendable, Hashable {
    public var project: String
    public var file: String
    public var qualifiedName: String
    public var ordinal: Int
    public var change: String
    public var signature: String
    public var sessionID: String
    public var lineStart: Int
    public var snapshotAt: String

    public init(
        project: String, file: String, qualifiedName: String, ordinal: Int, change: String, signature: String,
        sessionID: String, lineStart: Int, snapshotAt: String
    ) {
        self.project = project; self.file = file; self.qualifiedName = qualifiedName; self.ordinal = ordinal; self.change = change
        self.signature = signature; self.sessionID = sessionID; self.lineStart = lineStart; self.snapshotAt = snapshotAt
    }
}
