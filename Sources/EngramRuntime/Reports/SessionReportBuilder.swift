import EngramCode
import EngramCore
import Foundation

/// Gathers a `SessionReport` (and the changed-code graph) from the stores. Reads only: the figures, the latest session
/// and the code changes come from one snapshot (`ReportStore.activity`); the call tree of the most changed file is read
/// after it (a file snapshotted in between shows its newer calls).
package struct SessionReportBuilder: Sendable {
    let stores: Stores
    let now: Date

    /// How many function changes and learnings the report lists.
    package var maxFunctionChanges = 12
    package var maxLearnings = 5

    package init(stores: Stores, now: Date) {
        self.stores = stores
        self.now = now
    }

    /// The report for `project` (nil: every project) since `since`; `period` is the label the user gave.
    package func build(project: String?, since: Date, period: String) throws -> SessionReport {
        let sinceText = Timestamp.format(since)
        let activity = try stores.reports.activity(project: project, since: sinceText, learnings: maxLearnings)
        let changes = FunctionChangeLog(activity.changes)
        let callGraph = try changes.mostChangedFile.flatMap { hot -> SessionReport.CallGraph? in
            let tree = try CallGraphLoader.tree(stores.codeMap, project: hot.project, file: hot.file)
            return tree.callers.isEmpty ? nil : tree
        }
        let latest = activity.latestSession.map { s in
            var files: [String] = []
            for f in s.files {
                let shown = f.hasPrefix(s.project + "/") ? String(f.dropFirst(s.project.count + 1)) : f
                if !files.contains(shown) { files.append(shown) }
            }
            let summary = s.summary?.trimmingCharacters(in: .whitespacesAndNewlines)
            return SessionReport.LatestSession(id: s.id, startedAt: s.startedAt, summary: summary?.isEmpty == false ? summary : nil, files: files)
        }
        var report = SessionReport(
            generatedAt: Timestamp.format(now), since: sinceText, period: period, project: project,
            sessions: activity.sessions, observations: activity.observations,
            functionsNew: changes.count("new"), functionsModified: changes.count("modified"), functionsDeleted: changes.count("deleted"),
            compression: activity.compression.map { .init(count: $0.count, avgRatio: $0.avgRatio, avgLatencyMs: $0.avgLatencyMs) },
            latestSession: latest, functionChanges: [], moreFunctionChanges: 0, callGraph: callGraph,
            learnings: activity.learnings.map { .init(confidence: $0.confidence, category: $0.category, content: $0.content) })
        // The latest session's own changes when it made any, else the period's.
        var listed = changes.rows
        let own = FunctionChangeLog(activity.latestSessionChanges)
        if !own.rows.isEmpty { listed = own.rows }
        report.functionChanges = listed.prefix(maxFunctionChanges).map {
            SessionReport.FunctionChange(
                change: $0.change, file: $0.file, qualifiedName: $0.qualifiedName,
                signature: FunctionChangeLog.display(qualifiedName: $0.qualifiedName, signature: $0.signature))
        }
        report.moreFunctionChanges = max(0, listed.count - maxFunctionChanges)
        return report
    }

    /// The call graph of the code changed since `since`, as Mermaid (`graph TD`, a subgraph per file,
    /// changed definitions styled) or Graphviz DOT.
    package func changedCodeGraph(project: String?, since: Date, format: GraphFormat) throws -> String {
        let (files, changes) = try CallGraphLoader.changedCode(stores.codeMap, project: project, since: Timestamp.format(since))
        let renderer = CodeGraphRenderer(changes: changes, includeExternal: false)
        // An empty diagram still renders, with a comment saying why it is empty.
        let note = "no code changes recorded since \(ReportNumbers.minute(Timestamp.format(since)))"
        switch format {
        case .mermaid: return files.isEmpty ? "graph TD\n    %% \(note)\n" : renderer.mermaid(files)
        case .dot: return files.isEmpty ? "digraph calls {\n    // \(note)\n}\n" : renderer.dot(files)
        }
    }

    package enum GraphFormat: Sendable { case mermaid, dot }
}
