import EngramCode
import EngramCore
import EngramEmbeddings
import Foundation

/// The capabilities of the engine that need modules the core does not link: reports, re-embedding, the code
/// map's change marks. Edges reach them on `Engine` like every other capability.
extension Engine {
    /// What happened in sessions since `since` (the last day by default): sessions, observations, changed
    /// functions and learnings, for one project or every one.
    package func sessionReport(project: String?, since: Date, period: String) throws -> SessionReport {
        try SessionReportBuilder(stores: engram.stores, now: clock.now()).build(project: project, since: since, period: period)
    }

    /// The call graph of the functions changed since `since`, as Mermaid or Graphviz DOT.
    package func changedCodeGraph(project: String?, since: Date, format: SessionReportBuilder.GraphFormat) throws -> String {
        try SessionReportBuilder(stores: engram.stores, now: clock.now()).changedCodeGraph(project: project, since: since, format: format)
    }

    /// The evaluation dashboard: compression, latency, token spend and resolution over the period.
    package func evalReport(project: String?, since: Date, period: String) throws -> EvalDashboard {
        try EvalReportBuilder(reports: engram.stores.reports, now: clock.now(), logsDir: paths.logs).build(
            project: project, since: since, period: period)
    }

    /// Embeds the records of `kinds` that have no vector of `encoder`'s model yet (every record with `force`).
    package func reindex(
        encoder: any EmbeddingEngine, kinds: Set<SearchService.Kind> = Set(SearchService.Kind.allCases), force: Bool = false,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> EmbeddingReindexer.Report {
        try EmbeddingReindexer(engram: engram, encoder: encoder).run(kinds: kinds, force: force, progress: progress)
    }

    /// What engram saw change in `files` of `project` (NEW / MODIFIED / DELETED per function), from the latest snapshots.
    package func storedCodeChanges(project: String, files: [String]) throws -> [String: [String: ChangeType]] {
        try CodeScan.storedChanges(engram, project: project, files: files)
    }
}
