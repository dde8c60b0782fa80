/// Where code intelligence lives: snapshots of a project's files, each the file's definitions (with how they changed
/// since its previous snapshot) and its calls. A file's latest snapshot is the one with the greatest time, and only it
/// answers queries about the file's present: an older one is history (`changes`). Every query is scoped to one project
/// (another project's files, definitions and calls never show), except `changes` with no project.
public protocol CodeMapStore: Sendable {
    /// Stores a new snapshot of `file`, in one transaction: `build` is given the file's latest snapshot (nil for a file
    /// seen first) and returns what to store. The snapshot is stamped `preferredAt` when that is after the file's latest
    /// snapshot, otherwise one millisecond after it, so a file's snapshot times are unique and increasing whatever the
    /// clock or the order events are processed in (two in one millisecond, a late one after a newer). The observation's
    /// changed functions and the events (at their own times; the snapshot's when they have none) are written with it;
    /// when `build` throws nothing is. Returns the time stamped.
    @discardableResult
    func record(project: String, file: String, preferredAt: String, _ build: (CodeFileSnapshot?) throws -> NewCodeSnapshot) throws -> String
    /// The latest snapshot of `file`, nil when none is stored.
    func latest(project: String, file: String) throws -> CodeFileSnapshot?
    /// The files with stored definitions (a snapshot of only calls does not count), sorted.
    func files(project: String) throws -> [String]
    /// Calls of the latest snapshot of each file (or only of `file`), made by `caller` when given (its name, or a name
    /// ending in `.caller`), by file then line; at most `limit`.
    func calls(project: String, file: String?, caller: String?, limit: Int) throws -> [CodeCallEdge]
    /// Calls of the latest snapshot of each file to `callee`: written or resolved as `callee` or as a name ending in
    /// `.callee`, by file then line; at most `limit`.
    func callers(of callee: String, project: String, limit: Int) throws -> [CodeCallEdge]
    /// The changes (`new`, `modified`, `deleted`) of snapshots at or after `since`, oldest first (in the order recorded
    /// at equal times); of every project when `project` is nil, of one session's snapshots when `session` is given.
    func changes(project: String?, since: String, session: String?) throws -> [CodeMapChange]
}
