/// Which records a search may answer with: one project's (and global ones, whose project is empty), of some kinds
/// (every kind when empty), created at or after `since`.
public struct RecordFilter: Sendable, Equatable {
    public var project: String?
    public var kinds: Set<RecordKind>
    /// ISO 8601 UTC, as records are stamped.
    public var since: String?

    public init(project: String? = nil, kinds: Set<RecordKind> = [], since: String? = nil) {
        self.project = project; self.kinds = kinds; self.since = since
    }
}
