import EngramCode
import EngramCore
import Foundation
import GRDB
import EngramSQLite

/// Gathers a `SessionReport` (and the changed-code graph) from the store. Reads only.
public struct SessionReportBuilder: Sendable {
    let store: EngramStore
    let now: Date

    /// How many function changes and learnings the report lists.
    public var maxFunctionChanges = 12
    public var maxLearnings = 5

    public init(store: EngramStore, now: Date) {
        self.store = store
        self.now = now
    }

    /// The report for `project` (nil: every project) since `since`; `period` is the label the user gave.
    public func build(project: String?, since: Date, period: String) throws -> SessionReport {
        let sinceText = Timestamp.format(since)
        // The code map is read through its store, before and after this read of the other tables.
        let codeMap = store.stores.codeMap
        let changes = try FunctionChangeLog.load(codeMap, project: project, since: sinceText)
        let callGraph = try changes.mostChangedFile.flatMap { hot -> SessionReport.CallGraph? in
            let tree = try CallGraphLoader.tree(codeMap, project: hot.project, file: hot.file)
            return tree.callers.isEmpty ? nil : tree
        }
        var report = try store.writer.read { db in
            let projectSQL = project == nil ? "" : " AND project = ?"
            func args(_ a: (any DatabaseValueConvertible)?...) -> StatementArguments {
                var all = a
                if let project { all.append(project) }
                return StatementArguments(all)
            }
            let sessions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE updated_at >= ?" + projectSQL, arguments: args(sinceText)) ?? 0
            let observations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM observations WHERE created_at >= ?" + projectSQL,
                                                arguments: args(sinceText)) ?? 0

            var compression: SessionReport.Compression?
            if let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, AVG(json_extract(data, '$.ratio')) AS ratio, AVG(duration_ms) AS ms
                FROM event_log WHERE event_type = 'compress.done' AND timestamp >= ?
                """ + projectSQL, arguments: args(sinceText)), let ratio: Double = row["ratio"] {
                compression = SessionReport.Compression(count: row["n"], avgRatio: ratio, avgLatencyMs: row["ms"])
            }

            var latest: SessionReport.LatestSession?
            if let s = try Row.fetchOne(db, sql: "SELECT id, project, started_at, summary_text FROM sessions WHERE updated_at >= ?"
                                        + projectSQL + " ORDER BY started_at DESC, seq DESC LIMIT 1", arguments: args(sinceText)) {
                let id: String = s["id"]
                let root: String = s["project"]
                var files: [String] = []
                for text in try String.fetchAll(db, sql: "SELECT files_touched FROM observations WHERE session_id = ? ORDER BY id", arguments: [id]) {
                    for f in JSONList.decode(text) {
                        let shown = f.hasPrefix(root + "/") ? String(f.dropFirst(root.count + 1)) : f
                        if !files.contains(shown) { files.append(shown) }
                    }
                }
                let summary = (s["summary_text"] as String?)?.trimmingCharacters(in: .whitespacesAndNewlines)
                latest = SessionReport.LatestSession(id: id, startedAt: s["started_at"], summary: summary?.isEmpty == false ? summary : nil, files: files)
            }

            let learningSQL = "SELECT confidence, category, content FROM learnings WHERE is_active = 1"
                + (project == nil ? "" : " AND (project = ? OR project IS NULL)")
                + " ORDER BY confidence DESC, times_seen DESC, id LIMIT \(maxLearnings)"
            let learnings = try Row.fetchAll(db, sql: learningSQL, arguments: StatementArguments(project.map { [$0] } ?? [])).map { r in
                SessionReport.Learning(confidence: r["confidence"], category: r["category"], content: r["content"])
            }

            return SessionReport(
                generatedAt: Timestamp.format(now), since: sinceText, period: period, project: project,
                sessions: sessions, observations: observations,
                functionsNew: changes.count("new"), functionsModified: changes.count("modified"), functionsDeleted: changes.count("deleted"),
                compression: compression, latestSession: latest, functionChanges: [], moreFunctionChanges: 0,
                callGraph: callGraph, learnings: learnings)
        }
        // The latest session's own changes when it made any, else the period's.
        var listed = changes.rows
        if let id = report.latestSession?.id {
            let own = try FunctionChangeLog.load(codeMap, project: project, since: sinceText, session: id)
            if !own.rows.isEmpty { listed = own.rows }
        }
        report.functionChanges = listed.prefix(maxFunctionChanges).map {
            SessionReport.FunctionChange(change: $0.change, file: $0.file, qualifiedName: $0.qualifiedName,
                                         signature: FunctionChangeLog.display(qualifiedName: $0.qualifiedName, signature: $0.signature))
        }
        report.moreFunctionChanges = max(0, listed.count - maxFunctionChanges)
        return report
    }

    /// The call graph of the code changed since `since`, as Mermaid (`graph TD`, a subgraph per file,
    /// changed definitions styled) or Graphviz DOT.
    public func changedCodeGraph(project: String?, since: Date, format: GraphFormat) throws -> String {
        let (files, changes) = try CallGraphLoader.changedCode(store.stores.codeMap, project: project, since: Timestamp.format(since))
        let renderer = CodeGraphRenderer(changes: changes, includeExternal: false)
        // An empty diagram still renders, with a comment saying why it is empty.
        let note = "no code changes recorded since \(ReportNumbers.minute(Timestamp.format(since)))"
        switch format {
        case .mermaid: return files.isEmpty ? "graph TD\n    %% \(note)\n" : renderer.mermaid(files)
        case .dot: return files.isEmpty ? "digraph calls {\n    // \(note)\n}\n" : renderer.dot(files)
        }
    }

    public enum GraphFormat: Sendable { case mermaid, dot }
}
