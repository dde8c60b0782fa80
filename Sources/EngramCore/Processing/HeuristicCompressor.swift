import Foundation

/// Deterministic, model-free compression of a tool event into a readable record.
///
/// Each tool gets a dedicated reading (edits name the functions they touched, test runs name the
/// failing tests, searches count their hits); unknown tools fall back to their first meaningful
/// argument. Every field is bounded (title ≤ 80 chars on one line, summary ≤ 300, detail ≤ 1000)
/// and any payload shape is accepted: missing fields, numbers for strings, a plain-string response.
public struct HeuristicCompressor: Compressor {
    public init() {}

    public func compress(_ event: ToolEvent) async throws -> CompressedObservation {
        compressSync(event)
    }

    /// Synchronous form used on hot paths and in tests.
    public func compressSync(_ event: ToolEvent) -> CompressedObservation {
        let raw = rawObservation(event)
        return CompressedObservation(
            title: HeuristicText.oneLine(raw.title, limit: HeuristicText.titleLimit),
            summary: HeuristicText.oneLine(raw.summary, limit: HeuristicText.summaryLimit),
            detail: HeuristicText.block(HeuristicText.lines(raw.detail).map(String.init)),
            filesTouched: unique(raw.filesTouched).prefix(50).map { $0 },
            functionsHint: unique(raw.functionsHint).prefix(30).map { $0 }
        )
    }

    private func rawObservation(_ event: ToolEvent) -> CompressedObservation {
        let ctx = HeuristicContext(event: event)
        if event.failed { return HeuristicFailure.failure(ctx, bash: HeuristicShell.bash) }
        switch event.toolName {
        case "Edit": return HeuristicFileEdits.edit(ctx)
        case "MultiEdit": return HeuristicFileEdits.multiEdit(ctx)
        case "Write": return HeuristicFileEdits.write(ctx)
        case "NotebookEdit": return HeuristicFileEdits.notebookEdit(ctx)
        case "Read": return HeuristicFileEdits.read(ctx)
        case "Bash", "BashOutput": return HeuristicShell.bash(ctx)
        case "Grep": return HeuristicLookups.grep(ctx)
        case "Glob", "LS": return HeuristicLookups.glob(ctx)
        case "WebFetch": return HeuristicLookups.webFetch(ctx)
        case "WebSearch": return HeuristicLookups.webSearch(ctx)
        case "Task", "Agent": return HeuristicLookups.task(ctx)
        case "TodoWrite": return HeuristicLookups.todoWrite(ctx)
        default:
            if event.toolName.hasPrefix("mcp__") { return HeuristicLookups.mcp(ctx) }
            return HeuristicLookups.generic(ctx)
        }
    }

    private func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}

/// The event with lenient accessors: every field optional, numbers accepted where text is expected.
struct HeuristicContext {
    let event: ToolEvent

    var input: JSONValue { event.input }
    var response: JSONValue { event.response }

    func inputText(_ key: String) -> String? { nonEmpty(input.heuristicText(key)) }
    func responseText(_ key: String) -> String? { nonEmpty(response.heuristicText(key)) }

    /// The response when Claude Code sent a plain string instead of an object.
    var responseString: String? { response.stringValue }

    func relative(_ path: String) -> String { HeuristicText.relativePath(path, cwd: event.cwd) }

    /// The file the tool worked on, relative to the project when inside it.
    func filePath(inputKey: String = "file_path", responseKey: String = "filePath") -> String? {
        guard let p = inputText(inputKey) ?? responseText(responseKey) ?? response["file"]?.heuristicText("filePath")
        else { return nil }
        return relative(p)
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s, !HeuristicText.isBlank(s) else { return nil }
        return s
    }
}
