import Foundation

/// Reading of failed tool calls (PostToolUseFailure): Claude Code sends the error text instead of a response.
/// A failed Bash call is read like any Bash call, its output taken from the error ("Exit code 1\n…"), so a red
/// test run is titled by its failing tests; any other tool says which call failed and why.
enum HeuristicFailure {
    static func failure(_ ctx: HeuristicContext, bash: (HeuristicContext) -> CompressedObservation) -> CompressedObservation {
        let event = ctx.event
        let error = event.error ?? ""
        if event.toolName == "Bash" {
            let (code, output) = exitCode(error)
            var response: [String: JSONValue] = ["stdout": .string(output), "stderr": "", "interrupted": .bool(event.isInterrupt)]
            // With no exit code the call still failed: an error line makes the shell reading say so.
            response["exit_code"] = .number(Double(code ?? 1))
            var shell = event
            shell.response = .object(response)
            return bash(HeuristicContext(event: shell))
        }
        let target =
            ctx.filePath() ?? ctx.filePath(inputKey: "notebook_path") ?? ctx.inputText("pattern")
            ?? ctx.inputText("url") ?? ctx.inputText("query") ?? ctx.inputText("command")
        let what = event.toolName + (target.map { " " + HeuristicText.clip($0, limit: 50) } ?? "")
        let reason = event.isInterrupt ? "interrupted" : (firstLine(error) ?? "failed")
        let files = [ctx.filePath(), ctx.filePath(inputKey: "notebook_path")].compactMap { $0 }
        return CompressedObservation(
            title: "\(what) failed: \(reason)",
            summary: "\(what) failed" + (event.isInterrupt ? " (interrupted)" : "") + ": " + HeuristicText.oneLine(error, limit: 240),
            detail: HeuristicText.lines(error).prefix(20).joined(separator: "\n"),
            filesTouched: files)
    }

    /// "Exit code 2\nout…" → (2, "out…"); text without the prefix is all output.
    static func exitCode(_ error: String) -> (Int?, String) {
        let prefix = "Exit code "
        guard error.hasPrefix(prefix) else { return (nil, error) }
        let rest = error.dropFirst(prefix.count)
        let digits = rest.prefix(while: { $0.isNumber || $0 == "-" })
        guard let code = Int(digits) else { return (nil, error) }
        return (code, String(rest.dropFirst(digits.count).drop(while: { $0 == "\n" || $0 == "\r" })))
    }

    static func firstLine(_ text: String) -> String? {
        HeuristicText.lines(text).lazy.map { $0.blankTrimmed }.first { !$0.isEmpty }.map { HeuristicText.oneLine($0, limit: 80) }
    }
}
