/// What `engram report` reads: activity over a period and the eval figures. Each method reads in one snapshot, so the
/// numbers of one report agree with each other whatever the worker writes meanwhile. A period is every row at or
/// after `since` (ISO 8601); `project` nil is every project.
public protocol ReportStore: Sendable {
    /// The session report's figures: sessions updated and observations made in the period, `compress.done` events,
    /// the latest-started session updated in the period with the files its observations touched, the `learnings` most
    /// confident active learnings (the project's and the global ones) and the code map's changes, of the period and of
    /// that session (`CodeMapStore.changes`), all from one snapshot.
    func activity(project: String?, since: String, learnings: Int) throws -> ReportActivity
    /// The eval dashboard's figures (the seed's eval queries), from one snapshot; at most `unresolved` unresolved callees.
    func evalFigures(project: String?, since: String, unresolved: Int) throws -> EvalFigures
}
