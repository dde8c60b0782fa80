import EngramCode
import EngramCore
import Foundation

/// Turns stored function_map / call_graph rows back into EngramCode's analysis values, so the
/// report draws diagrams with `CodeGraphRenderer` rather than a renderer of its own.
struct CallGraphLoader: Sendable {
    /// The latest snapshot of one file: its definitions and its calls.
    static func analysis(_ codeMap: any CodeMapStore, project: String, file: String) throws -> CodeFileAnalysis {
        let snapshot = try codeMap.latest(project: project, file: file)
        let symbols = (snapshot?.definitions ?? []).map { s in
            CodeSymbol(
                qualifiedName: s.qualifiedName, kind: SymbolKind(rawValue: s.kind) ?? .function, parentClass: s.parentClass,
                signature: s.signature, decorators: s.decorators, docstring: s.docstring, lineStart: s.lineStart,
                lineEnd: s.lineEnd, bodyHash: s.bodyHash)
        }
        let calls = (snapshot?.calls ?? []).map { c in
            CodeCall(
                callerName: c.callerName, calleeName: c.calleeName, calleeResolved: c.calleeResolved,
                resolution: CallResolution(rawValue: c.resolution) ?? .unresolved, lineNumber: c.lineNumber ?? 0)
        }
        return CodeFileAnalysis(path: file, language: CodeLanguage(path: file) ?? .python, symbols: symbols, calls: calls, imports: [])
    }

    /// The call tree of one file's latest snapshot: callers in order of their first call, callees without repeats.
    static func tree(_ codeMap: any CodeMapStore, project: String, file: String, maxCallers: Int = 8, maxCallees: Int = 6) throws
        -> SessionReport.CallGraph
    {
        var order: [String] = []
        var callees: [String: [String]] = [:]
        for c in try codeMap.latest(project: project, file: file)?.calls ?? [] {
            if callees[c.callerName] == nil { order.append(c.callerName); callees[c.callerName] = [] }
            let label = relative(c.calleeResolved ?? c.calleeName, to: c.callerName)
            if !(callees[c.callerName]?.contains(label) ?? false) { callees[c.callerName]?.append(label) }
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
    static func changedCode(_ codeMap: any CodeMapStore, project: String?, since: String, maxFiles: Int = 12)
        throws -> (files: [CodeFileAnalysis], changes: [String: [String: ChangeType]])
    {
        let log = try FunctionChangeLog.load(codeMap, project: project, since: since)
        var byFile: [String: (project: String, marks: [String: ChangeType])] = [:]
        for r in log.rows {
            byFile[r.file, default: (r.project, [:])].marks[r.qualifiedName] = ChangeType(rawValue: r.change)
        }
        var files: [CodeFileAnalysis] = []
        var changes: [String: [String: ChangeType]] = [:]
        for path in byFile.keys.sorted().prefix(maxFiles) {
            guard let entry = byFile[path] else { continue }
            files.append(try analysis(codeMap, project: entry.project, file: path))
            changes[path] = entry.marks
        }
        return (files, changes)
    }
}
