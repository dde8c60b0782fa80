import EngramCode
import EngramCore
import Foundation
import GRDB

/// Turns stored function_map / call_graph rows back into EngramCode's analysis values, so the
/// report draws diagrams with `CodeGraphRenderer` rather than a renderer of its own.
struct CallGraphLoader: Sendable {
    /// The latest snapshot of one file: its definitions and its calls.
    static func analysis(_ db: Database, project: String, file: String) throws -> CodeFileAnalysis {
        let symbolRows = try Row.fetchAll(db, sql: """
            SELECT qualified_name, kind, parent_class, signature, decorators, docstring, line_start, line_end, body_hash
            FROM function_map
            WHERE project = ? AND file_path = ? AND change_type IS NOT 'deleted'
              AND snapshot_at = (SELECT MAX(snapshot_at) FROM function_map WHERE project = ? AND file_path = ?)
            ORDER BY line_start, ordinal, id
            """, arguments: [project, file, project, file])
        let symbols = symbolRows.map { r in
            CodeSymbol(qualifiedName: r["qualified_name"], kind: SymbolKind(rawValue: r["kind"] ?? "") ?? .function,
                       parentClass: r["parent_class"], signature: r["signature"], decorators: JSONList.decode(r["decorators"]),
                       docstring: r["docstring"], lineStart: r["line_start"], lineEnd: r["line_end"], bodyHash: r["body_hash"])
        }
        let calls = try self.calls(db, project: project, file: file).map { r in
            CodeCall(callerName: r.caller, calleeName: r.calleeName, calleeResolved: r.calleeResolved,
                     resolution: CallResolution(rawValue: r.resolution) ?? .unresolved, lineNumber: r.line)
        }
        return CodeFileAnalysis(path: file, language: CodeLanguage(path: file) ?? .python, symbols: symbols, calls: calls, imports: [])
    }

    struct CallRow: Sendable {
        var caller: String
        var calleeName: String
        var calleeResolved: String?
        var resolution: String
        var line: Int
    }

    /// Calls of the file's latest call-graph snapshot, in line order.
    static func calls(_ db: Database, project: String, file: String) throws -> [CallRow] {
        try Row.fetchAll(db, sql: """
            SELECT caller_name, callee_name, callee_resolved, resolution, line_number FROM call_graph
            WHERE project = ? AND caller_file = ?
              AND snapshot_at = (SELECT MAX(snapshot_at) FROM call_graph WHERE project = ? AND caller_file = ?)
            ORDER BY line_number, id
            """, arguments: [project, file, project, file]).map { r in
            CallRow(caller: r["caller_name"], calleeName: r["callee_name"], calleeResolved: r["callee_resolved"],
                    resolution: r["resolution"], line: r["line_number"] ?? 0)
        }
    }

    /// The call tree of one file: callers in order of their first call, callees without repeats.
    static func tree(_ db: Database, project: String, file: String, maxCallers: Int = 8, maxCallees: Int = 6) throws -> SessionReport.CallGraph {
        var order: [String] = []
        var callees: [String: [String]] = [:]
        for c in try calls(db, project: project, file: file) {
            if callees[c.caller] == nil { order.append(c.caller); callees[c.caller] = [] }
            let label = relative(c.calleeResolved ?? c.calleeName, to: c.caller)
            if !(callees[c.caller]?.contains(label) ?? false) { callees[c.caller]?.append(label) }
        }
        let callers = order.prefix(maxCallers).map { name in
            SessionReport.CallGraph.Caller(name: name, callees: Array((callees[name] ?? []).prefix(maxCallees)))
        }
        return SessionReport.CallGraph(file: file, callers: callers)
    }

    /// A callee in the caller's own class is shown by its short name, as a reader of that class would say it.
    static func relative(_ callee: String, to caller: String) -> String {
        guard let dot = caller.lastIndex(of: ".") else { return callee }
        let owner = caller[..<dot] + "."
        return callee.hasPrefix(owner) && callee.count > owner.count ? String(callee.dropFirst(owner.count)) : callee
    }

    /// Analyses of the files changed in the period, and their change marks, for Mermaid / DOT.
    static func changedCode(_ db: Database, project: String?, since: String, maxFiles: Int = 12)
        throws -> (files: [CodeFileAnalysis], changes: [String: [String: ChangeType]]) {
        let log = try FunctionChangeLog.load(db, project: project, since: since)
        var byFile: [String: (project: String, marks: [String: ChangeType])] = [:]
        for r in log.rows {
            byFile[r.file, default: (r.project, [:])].marks[r.qualifiedName] = ChangeType(rawValue: r.change)
        }
        var files: [CodeFileAnalysis] = []
        var changes: [String: [String: ChangeType]] = [:]
        for path in byFile.keys.sorted().prefix(maxFiles) {
            guard let entry = byFile[path] else { continue }
            files.append(try analysis(db, project: entry.project, file: path))
            changes[path] = entry.marks
        }
        return (files, changes)
    }
}
