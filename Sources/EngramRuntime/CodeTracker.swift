import EngramCode
import EngramCore
import Foundation

/// Code intelligence at processing time: when an observation records a Write, Edit,
/// MultiEdit or NotebookEdit of a Python or Swift file, store a function-map snapshot and
/// call edges, mark each definition new / modified / unchanged / deleted against the
/// file's previous snapshot, and list the changed names on the observation.
///
/// The file's content after the event is rebuilt from the payload (Write's content, Edit's
/// original plus the replacement) so a batch processed later still sees each intermediate
/// state; only when the payload can't tell does it read the file from disk. An enrichment step: the file is parsed
/// outside any transaction, and the snapshot is written in a short one of its own after the observation commits (the
/// code map's unit of work, diffed there against the file's latest snapshot).
package struct CodeTracker: EnrichmentStep {
    static let editTools: Set<String> = ["Write", "Edit", "MultiEdit", "NotebookEdit"]

    let engram: Engram

    package init(_ engram: Engram) { self.engram = engram }

    /// A file parsed outside any transaction: its analysis, or why there is none.
    package struct Parsed: Sendable {
        var relative: String
        var analysis: CodeFileAnalysis?
        /// The file before the edit, parsed, when the payload carries it (the baseline for a file seen first).
        var before: Data?
        var error: String?
        var startedAt: UInt64
    }

    package var name: String { "code" }

    package func applies(to observation: ObservationRecord, event: ToolEvent) -> Bool {
        guard Self.editTools.contains(event.toolName), let rawPath = Self.path(of: event) else { return false }
        return CodeLanguage(path: rawPath) != nil
    }

    static func path(of event: ToolEvent) -> String? {
        event.input["file_path"]?.stringValue ?? event.input["notebook_path"]?.stringValue
    }

    package func prepare(_ observation: ObservationRecord, event: ToolEvent) async throws -> Enrichment? {
        guard let parsed = try await parse(observation, event: event) else { return nil }
        let relative = parsed.relative
        guard let analysis = parsed.analysis else {
            return .events([
                EngramEvent(
                    "ast.scan", ["file": .string(relative), "error": .string(parsed.error ?? "no analysis")],
                    sessionID: observation.sessionId, project: observation.project)
            ])
        }
        // Diffed inside the store's transaction, against the file's latest snapshot as it is then.
        return .codeSnapshot(project: observation.project, file: relative, preferredAt: observation.createdAt) { previous in
            self.snapshot(analysis, file: relative, before: parsed.before, startedAt: parsed.startedAt, previous: previous, for: observation)
        }
    }

    /// The file after the event, parsed; nil when the event is not an edit of a parsable file or the file is gone.
    func parse(_ observation: ObservationRecord, event: ToolEvent) async throws -> Parsed? {
        guard applies(to: observation, event: event), let rawPath = Self.path(of: event) else { return nil }
        let root = URL(fileURLWithPath: observation.project)
        let absolute = rawPath.hasPrefix("/") ? rawPath : ((event.cwd ?? observation.project) as NSString).appendingPathComponent(rawPath)
        let relative = Self.relative(absolute, to: observation.project)
        let start = DispatchTime.now().uptimeNanoseconds
        guard let (after, before) = Self.contents(event: event, absolutePath: absolute) else {
            engram.logger.warning("ast: \(relative) is gone or unreadable; no snapshot")
            return nil
        }
        var resolver = ProjectResolver(root: root)
        do {
            guard let a = try CodeAnalyzer().analyzeResolved(source: after, path: relative, projectRoot: root, resolver: &resolver) else {
                return nil
            }
            return Parsed(relative: relative, analysis: a, before: before, startedAt: start)
        } catch {
            // Likely mid-edit: skip this snapshot, keep the observation.
            engram.logger.warning("ast: skipped \(relative): \(error.localizedDescription)")
            return Parsed(relative: relative, error: error.localizedDescription, startedAt: start)
        }
    }

    /// What a snapshot of `analysis` stores given the file's `previous` one: each definition marked new / modified /
    /// unchanged / deleted, the calls, the changed names for the observation and the events that tell of it.
    func snapshot(
        _ analysis: CodeFileAnalysis, file relative: String, before: Data?, startedAt start: UInt64, previous: CodeFileSnapshot?,
        for observation: ObservationRecord
    ) -> NewCodeSnapshot {
        var oldSymbols = (previous?.definitions ?? []).map(Self.symbol)
        if oldSymbols.isEmpty, let before, let baseline = try? CodeAnalyzer().analyze(source: before, path: relative) {
            // First sight of this file: the payload's original content is the baseline.
            oldSymbols = baseline.symbols
        }
        let changes = SnapshotDiff.compare(old: oldSymbols, new: analysis.symbols)
        var oldByKey: [String: CodeSymbol] = [:]
        var counts: [String: Int] = [:]
        for s in oldSymbols {
            let n = counts[s.qualifiedName, default: 0]; counts[s.qualifiedName] = n + 1
            oldByKey["\(s.qualifiedName)#\(n)"] = s
        }
        var symbols: [CodeMapSymbol] = []
        var changed: [JSONValue] = []
        var tally: [ChangeType: Int] = [:]
        for c in changes {
            tally[c.change, default: 0] += 1
            guard let s = c.symbol ?? oldByKey["\(c.qualifiedName)#\(c.occurrence)"] else { continue }
            symbols.append(
                CodeMapSymbol(
                    qualifiedName: s.qualifiedName, ordinal: c.occurrence, kind: s.kind.rawValue, parentClass: s.parentClass,
                    signature: s.signature, decorators: s.decorators, docstring: s.docstring, lineStart: s.lineStart,
                    lineEnd: s.lineEnd, bodyHash: s.bodyHash, previousHash: c.previousHash, change: c.change.rawValue))
            if c.change != .unchanged {
                changed.append(["file": .string(relative), "name": .string(s.qualifiedName), "action": .string(c.change.rawValue)])
            }
        }
        let calls = analysis.calls.map {
            CodeMapCall(
                callerName: $0.callerName, calleeName: $0.calleeName, calleeResolved: $0.calleeResolved,
                resolution: $0.resolution.rawValue, lineNumber: $0.lineNumber)
        }

        let unresolved = analysis.calls.filter { $0.resolution == .unresolved }.count
        let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        let now = engram.now
        let events = [
            EngramEvent(
                "ast.scan",
                [
                    "file": .string(relative), "language": .string(analysis.language.rawValue),
                    "functions_found": .number(Double(analysis.symbols.count)),
                    "new": .number(Double(tally[.new] ?? 0)), "modified": .number(Double(tally[.modified] ?? 0)),
                    "deleted": .number(Double(tally[.deleted] ?? 0)), "unchanged": .number(Double(tally[.unchanged] ?? 0)),
                    "call_edges": .number(Double(analysis.calls.count)), "unresolved_calls": .number(Double(unresolved)),
                ], sessionID: observation.sessionId, project: observation.project, durationMs: ms, timestamp: now),
            EngramEvent(
                "ast.call_graph",
                [
                    "file": .string(relative), "edges": .number(Double(analysis.calls.count)), "unresolved": .number(Double(unresolved)),
                    "resolved_rate": .number(
                        analysis.calls.isEmpty ? 1 : (Double(analysis.calls.count - unresolved) / Double(analysis.calls.count) * 100).rounded() / 100),
                ], sessionID: observation.sessionId, project: observation.project, timestamp: now),
        ]
        return NewCodeSnapshot(
            sessionID: observation.sessionId, symbols: symbols, calls: calls, observationID: observation.id,
            functionsChanged: .array(changed), events: events)
    }

    /// A stored definition as EngramCode's value, to compare with a new analysis.
    static func symbol(_ s: CodeMapSymbol) -> CodeSymbol {
        CodeSymbol(
            qualifiedName: s.qualifiedName, kind: SymbolKind(rawValue: s.kind) ?? .function, parentClass: s.parentClass,
            signature: s.signature, decorators: s.decorators, docstring: s.docstring, lineStart: s.lineStart,
            lineEnd: s.lineEnd, bodyHash: s.bodyHash)
    }

    /// The file's content after the event and, when the payload has it, before it.
    static func contents(event: ToolEvent, absolutePath: String) -> (after: Data, before: Data?)? {
        let marker = "[engram: "
        func usable(_ s: String?) -> String? { s.flatMap { $0.contains(marker) ? nil : $0 } }
        let disk = { FileManager.default.contents(atPath: absolutePath) }
        switch event.toolName {
        case "Write":
            if let content = usable(event.input["content"]?.stringValue) {
                let original = usable(event.response["originalFile"]?.stringValue)
                return (Data(content.utf8), original.map { Data($0.utf8) })
            }
        case "Edit":
            if let original = usable(event.response["originalFile"]?.stringValue),
                let old = event.input["old_string"]?.stringValue, let new = event.input["new_string"]?.stringValue,
                !old.isEmpty, original.contains(old)
            {
                let all = event.input["replace_all"]?.boolValue ?? false
                let after = all ? original.replacingOccurrences(of: old, with: new) : original.replacingFirst(old, with: new)
                return (Data(after.utf8), Data(original.utf8))
            }
        case "MultiEdit":
            if var text = usable(event.response["originalFileContents"]?.stringValue), let edits = event.input["edits"]?.arrayValue {
                let original = text
                var ok = true
                for e in edits {
                    guard let old = e["old_string"]?.stringValue, let new = e["new_string"]?.stringValue, !old.isEmpty, text.contains(old) else {
                        ok = false; break
                    }
                    text =
                        (e["replace_all"]?.boolValue ?? false) ? text.replacingOccurrences(of: old, with: new) : text.replacingFirst(old, with: new)
                }
                if ok { return (Data(text.utf8), Data(original.utf8)) }
            }
        default: break
        }
        guard let data = disk() else { return nil }
        return (data, nil)
    }

    static func relative(_ path: String, to root: String) -> String {
        let p = URL(fileURLWithPath: path).standardizedFileURL.path
        let r = root.hasSuffix("/") ? root : root + "/"
        return p.hasPrefix(r) ? String(p.dropFirst(r.count)) : p
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = range(of: target) else { return self }
        return replacingCharacters(in: r, with: replacement)
    }
}
