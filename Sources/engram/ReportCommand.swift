import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Session report, call-graph diagrams of changed code, or the performance dashboard.",
        discussion: """
            `engram report` shows the period's sessions, observations, function changes, compression, the latest session, \
            the call tree of the most changed file and the top learnings. `--markdown FILE` writes the same as Markdown \
            with a Mermaid diagram; `--mermaid` / `--dot` print the call graph of changed code; `--eval` shows the \
            performance dashboard (default period 7d).
            """
    )

    @Option(help: "How far back: 30m, 12h, 1d, 7d, 2w or a date (default 1d, 7d with --eval).")
    var since: String?
    @OptionGroup var project: ProjectOption
    @Flag(help: "Report on every project in the data directory.")
    var allProjects = false
    @Option(name: .customLong("markdown"), help: "Also write the report as Markdown (with Mermaid) to this file.")
    var markdownFile: String?
    @Flag(help: "Print the call graph of changed code as Mermaid.")
    var mermaid = false
    @Flag(help: "Print the call graph of changed code as Graphviz DOT.")
    var dot = false
    @Flag(help: "Show the performance dashboard from the event log.")
    var eval = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if [mermaid, dot, eval].filter({ $0 }).count > 1 { throw ValidationError("Choose one of --mermaid, --dot and --eval.") }
        if output.json && (mermaid || dot) { throw ValidationError("--json does not combine with --mermaid or --dot.") }
        if markdownFile != nil && (mermaid || dot || eval) { throw ValidationError("--markdown goes with the session report only.") }
    }

    func run() async throws {
        try await guarded {
            let engine = try openEngine()
            let now = engine.clock.now()
            let period = since ?? (eval ? "7d" : "1d")
            let start = try Timestamp.since(period, now: now)
            let scope: String? = allProjects ? nil : project.root
            let style = ReportStyle(colour: Terminal.stdoutIsTTY)

            if eval {
                let d = try engine.evalReport(project: scope, since: start, period: period)
                if output.json { try Terminal.printJSON(d) } else { print(EvalRenderer(style: style).terminal(d), terminator: "") }
                return
            }
            if mermaid || dot {
                print(try engine.changedCodeGraph(project: scope, since: start, format: mermaid ? .mermaid : .dot), terminator: "")
                return
            }
            let report = try engine.sessionReport(project: scope, since: start, period: period)
            if let markdownFile {
                let graph = try engine.changedCodeGraph(project: scope, since: start, format: .mermaid)
                let text = SessionReportRenderer().markdown(report, mermaid: graph)
                let path = (markdownFile as NSString).expandingTildeInPath
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                    throw EngramError.invalidArgument("Cannot write \(path): \(error.localizedDescription). Choose a writable path.")
                }
            }
            if output.json { try Terminal.printJSON(report); return }
            print(SessionReportRenderer(style: style).terminal(report), terminator: "")
            if let markdownFile { Terminal.printErr("Markdown report written to \(markdownFile).") }
        }
    }
}
