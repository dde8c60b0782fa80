import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramDemo
import EngramRuntime
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Replay a bundled Claude Code session through the whole pipeline and show what the next session is told.",
        discussion: """
            Works in a temporary data directory and a temporary copy of a small FastAPI project: replays yesterday's and \
            today's sessions as the exact hook payloads Claude Code sends, processes the queue, prints the briefing a new \
            session would get, then runs a search. Your own ~/.engram is never touched.
            """
    )

    @Option(help: "What to search for at the end.")
    var query = "refresh token DecodeError"

    @Flag(help: "Keep the temporary data directory and project, and print where they are.")
    var keep = false

    func run() async throws {
        try await guarded { try await DemoRun(query: query, keep: keep).run() }
    }
}

/// The demo itself, in order: seed the project, replay two sessions, brief a third, search.
struct DemoRun {
    let query: String
    let keep: Bool

    func say(_ s: String = "") { print(s) }

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-demo-\(UUID().uuidString.prefix(8))")
        let home = root.appendingPathComponent("engram-home")
        let project = root.appendingPathComponent("acme-api")
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        try FileManager.default.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true)
        for (path, contents) in DemoSession.projectFiles {
            let url = project.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        var env = ProcessInfo.processInfo.environment
        env["ENGRAM_HOME"] = home.path
        env.removeValue(forKey: "ENGRAM_DISABLED")
        // The demo processes in-process; a background worker would outlive its temporary data dir.
        env["ENGRAM_WORKER_AUTOSTART"] = "0"

        say(Terminal.bold("engram demo") + Terminal.dim("  (temporary data dir: \(keep ? home.path : "removed when done"))"))
        say("")
        let now = Date()
        try await replay(
            "Yesterday",
            DemoSession.yesterdayPayloads(
                projectDir: project.path, sessionID: "demo-yesterday",
                transcriptPath: root.path + "/yesterday.jsonl"),
            start: now.addingTimeInterval(-26 * 3600), env: env, project: project, applyEdits: false)
        try await replay(
            "Today",
            DemoSession.hookPayloads(
                projectDir: project.path, sessionID: "demo-today",
                transcriptPath: root.path + "/today.jsonl"),
            start: now.addingTimeInterval(-50 * 60), env: env, project: project, applyEdits: true)

        let engine = EngramRuntime.engine(try EngramRuntime.open(env: env), encoder: nil)
        let stats = try await engine.process()
        let counts = try engine.totals(project: project.path)
        say(
            Terminal.dim(
                "Stored \(counts.observations) observations from \(counts.sessions) sessions"
                    + (stats.processed > 0 ? " (\(stats.processed) processed now)." : ".")))
        say("")

        say(Terminal.bold("▶ A new session starts: engram hook session-start answers"))
        let startPayload = Data(
            JSONValue.object([
                "session_id": "demo-tomorrow", "transcript_path": .string(root.path + "/next.jsonl"), "cwd": .string(project.path),
                "hook_event_name": "SessionStart", "source": "startup", "permission_mode": "default",
            ]).serialized().utf8)
        let answer = await HookRunner(env: env, opener: EngramRuntime.hookOpener).run(event: "session-start", stdin: startPayload)
        guard let out = answer.stdout, let context = try? JSONValue.parse(out)["hookSpecificOutput"]?["additionalContext"]?.stringValue else {
            throw EngramError.invalidArgument("session-start gave no briefing: \(answer.diagnostics.joined(separator: "; "))")
        }
        say(Terminal.dim(String(out.prefix(96)) + "…"))
        say("")
        say(Terminal.dim("── additionalContext (\(TokenEstimator.estimate(context)) tokens of \(engine.config.contextBudget)) ──"))
        say(context.trimmingCharacters(in: .newlines))
        say(Terminal.dim("──"))
        say("")

        say(Terminal.bold("▶ engram search \"\(query)\""))
        let hits = try engine.search(.init(text: query, project: project.path, limit: 5, mode: .keyword))
        if hits.isEmpty { say("No results.") }
        for h in hits {
            say("  \(Terminal.bold(h.id))  \(h.title)")
            let snippet = h.snippet.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "«", with: "").replacingOccurrences(
                of: "»", with: "")
            if !snippet.isEmpty { say("      " + Terminal.dim(String(snippet.prefix(140)))) }
        }
        if let first = hits.first {
            say("")
            say(Terminal.bold("▶ engram show \(first.id)"))
            for r in try engine.records([first.id]) { say(r.render(now: Date())) }
        }
        say("")
        say(
            keep
                ? "Kept: ENGRAM_HOME=\(home.path) engram search …  (project at \(project.path))"
                : "Done. Install for real with `engram install claude-code`, or try `engram demo --keep` to explore the data.")
        // `swift run engram demo` builds engram alone; install registers the fast hook binary only when it is there.
        if RunningBinary.hookPath == nil {
            say(
                Terminal.dim(
                    "Note: no engram-hook beside \(RunningBinary.path): build it with `swift build -c release --product engram-hook` "
                        + "before `engram install claude-code`, or every hook runs the full engram binary."))
        }
    }

    func replay(
        _ label: String, _ payloads: [(event: String, json: String)], start: Date, env: [String: String],
        project: URL, applyEdits: Bool
    ) async throws {
        say(Terminal.bold("▶ \(label)'s session") + Terminal.dim("  (\(payloads.count) hook calls)"))
        for (i, p) in payloads.enumerated() {
            let at = start.addingTimeInterval(Double(i) * 45)
            if applyEdits && p.event == "post-tool-use" { _ = try DemoSession.apply(payloadJSON: p.json, projectDir: project.path) }
            let out = await HookRunner(env: env, clock: .fixed(at), opener: EngramRuntime.hookOpener).run(event: p.event, stdin: Data(p.json.utf8))
            say(
                "  " + describe(p, project: project.path)
                    + (out.diagnostics.isEmpty ? "" : Terminal.dim("  (\(out.diagnostics.joined(separator: "; ")))")))
        }
        say("")
    }

    func describe(_ p: (event: String, json: String), project: String) -> String {
        guard let v = try? JSONValue.parse(p.json) else { return p.event }
        let name = (v["hook_event_name"]?.stringValue ?? p.event).padding(toLength: 18, withPad: " ", startingAt: 0)
        var what = ""
        switch p.event {
        case "user-prompt-submit": what = "“" + (v["prompt"]?.stringValue ?? "") + "”"
        case "post-tool-use", "post-tool-use-failure":
            let tool = v["tool_name"]?.stringValue ?? "?"
            let input = v["tool_input"]
            let arg = input?["file_path"]?.stringValue ?? input?["command"]?.stringValue ?? input?["pattern"]?.stringValue ?? ""
            what = tool.padding(toLength: 9, withPad: " ", startingAt: 0) + arg.replacingOccurrences(of: project + "/", with: "")
            if tool == "TodoWrite" { what += Terminal.dim("(skipped: carries no information)") }
            if p.event == "post-tool-use-failure" { what += Terminal.dim("  (exit 1)") }
        case "session-start": what = v["source"]?.stringValue ?? ""
        case "stop": what = Terminal.dim("summarize the session")
        case "session-end": what = v["reason"]?.stringValue ?? ""
        default: break
        }
        return Terminal.cyan(name) + " " + what
    }
}
