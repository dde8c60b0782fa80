import EngramCore
import EngramTestSupport
import Foundation
import GRDB
import Testing

/// The real Claude Code CLI (the one the PyPI wheel `claude-agent-sdk` ships, `claude_agent_sdk/_bundled/claude`)
/// running headless sessions against a scripted model (Tests/Integration/claude/scripted_model.py, speaking the
/// Messages API with streaming SSE), with engram installed the way a user installs it: `engram install claude-code
/// --with-mcp` into a temporary HOME. Every hook is Claude Code's own call of engram's binaries.
@Suite(.serialized, .enabled(if: RealClaude.cli != nil, "the Claude Code CLI is not installed: pip install claude-agent-sdk (.ci/run does)"))
struct RealClaudeCodeTests {
    @Test func sessionsOfTheRealClientAreRememberedAndBriefedAndSearchable() throws {
        let h = try RealClaude()
        defer { h.stop() }
        let install = try EngramProcess.run(["install", "claude-code", "--with-mcp"], env: h.env, cwd: h.project)
        #expect(install.status == 0, "\(install.stderr)")

        // 1. Read then Edit: the code changes and engram records the edit.
        try h.session("[script:edit] fix add() in app.py")
        #expect(try String(contentsOf: h.project.appendingPathComponent("app.py"), encoding: .utf8).contains("return a + b"))

        // 2. A test run that exits 1: Claude Code fires PostToolUseFailure, which engram must keep.
        try h.session("[script:failing-test] run the tests")

        let e = try Engram.open(env: h.env)
        try h.drain(e)
        let obs = try e.store.writer.read { db in try ObservationRecord.fetchAll(db, sql: "SELECT * FROM observations ORDER BY id") }
        let edit = try #require(obs.first { $0.toolName == "Edit" }, "\(obs.map(\.title))")
        #expect(edit.files == ["app.py"])
        #expect(edit.promptId != nil, "prompt_id links the edit to its prompt")
        let failure = try #require(obs.first { $0.hookType == "PostToolUseFailure" }, "\(obs.map(\.title))")
        #expect(failure.title.contains("test_divide"), "\(failure.title)")
        // No phantom session, one row per real session, each summarised at Stop.
        let sessions = try e.store.writer.read { db in try Row.fetchAll(db, sql: "SELECT id, summary_text FROM sessions") }
        #expect(sessions.count == 2)
        #expect(sessions.allSatisfy { ($0["summary_text"] as String?) != nil })

        // 3. A new session: the briefing reaches the model, with what the earlier ones did.
        try h.session("[script:briefing] what do you remember?")
        let briefed = try h.requests(script: "briefing").map(\.text)
        #expect(
            briefed.contains { $0.contains("SessionStart hook additional context") && $0.contains("engram memory") && $0.contains("test_divide") },
            "the model never saw the briefing")

        // 4. engram's MCP search, through ToolSearch as Claude Code defers MCP tools.
        try h.session("[script:search] did a test fail before?")
        let answered = try h.requests(script: "search").flatMap(\.toolResults)
        let result = try #require(answered.first { $0.id == "toolu_search_1" }, "the search tool call got no result: \(answered)")
        #expect(result.text.contains("#\(failure.id ?? 0)"), "\(result.text)")
        #expect(!result.text.contains(h.project.path), "paths are relative to the project")
        // Neither ToolSearch nor engram's own tool became memory.
        try h.drain(e)
        let tools = try e.store.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT tool_name FROM pending_queue") }
        #expect(!tools.contains { $0 == "ToolSearch" || $0.contains("engram") }, "\(tools)")
    }
}

/// One test's world: a temporary HOME with a project, the scripted model server, the CLI.
final class RealClaude: @unchecked Sendable {
    /// The CLI the claude-agent-sdk wheel bundles, found through the python3 on PATH.
    static let cli: URL? = {
        if let path = ProcessInfo.processInfo.environment["ENGRAM_TEST_CLAUDE_CLI"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let find = "import claude_agent_sdk, os; print(os.path.join(os.path.dirname(claude_agent_sdk.__file__), '_bundled', 'claude'))"
        guard
            let out = try? EngramProcess.run(
                ["python3", "-c", find], env: [:], cwd: URL(fileURLWithPath: NSTemporaryDirectory()),
                executable: URL(fileURLWithPath: "/usr/bin/env")),
            out.status == 0
        else { return nil }
        let path = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }()

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Integration/claude/scripted_model.py")
    }

    let root: URL
    let home: URL
    let project: URL
    let log: URL
    let server: Process
    let port: Int
    var env: [String: String]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-claude-\(UUID().uuidString)")
        home = root.appendingPathComponent("home")
        project = root.appendingPathComponent("app")
        log = root.appendingPathComponent("requests.jsonl")
        let fm = FileManager.default
        try fm.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try fm.createDirectory(at: home, withIntermediateDirectories: true)
        try Data("def add(a, b):\n    return a - b\n\n\ndef divide(a, b):\n    return a / b\n".utf8)
            .write(to: project.appendingPathComponent("app.py"))
        try Data(
            "import unittest\nfrom app import divide\n\n\nclass T(unittest.TestCase):\n    def test_divide(self):\n        self.assertEqual(divide(1, 0), 0)\n"
                .utf8
        )
        .write(to: project.appendingPathComponent("test_app.py"))

        let portFile = root.appendingPathComponent("port")
        server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", Self.script.path, portFile.path, log.path, project.path]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil, Date() < deadline, server.isRunning {
            found = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if found == nil { usleep(20_000) }
        }
        guard let found else { server.terminate(); throw EngramError.invalidArgument("the scripted model server did not start") }
        port = found

        var e = ProcessInfo.processInfo.environment
        for k in e.keys where k.hasPrefix("ENGRAM_") || k.hasPrefix("ANTHROPIC_") || k.hasPrefix("CLAUDE") || k.hasPrefix("OPENAI_") {
            e.removeValue(forKey: k)
        }
        e["HOME"] = home.path
        e["ENGRAM_HOME"] = home.appendingPathComponent(".engram").path
        // The worker would send tool payloads to the scripted model (the key is inherited); the hooks process in-process.
        e["ENGRAM_WORKER_AUTOSTART"] = "0"
        e["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:\(port)"
        e["ANTHROPIC_API_KEY"] = "sk-ant-test-not-a-real-key"
        e["IS_SANDBOX"] = "1"
        e["DISABLE_TELEMETRY"] = "1"
        e["DISABLE_AUTOUPDATER"] = "1"
        e["DISABLE_ERROR_REPORTING"] = "1"
        e["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1"
        env = e
    }

    func stop() {
        // SIGKILL: a child started from a test's thread inherits its blocked signals, SIGTERM included.
        if server.isRunning { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        try? FileManager.default.removeItem(at: root)
    }

    /// One headless session: `claude -p PROMPT`, which must exit 0 within `limit` seconds (it is killed after that,
    /// so a script the CLI does not follow fails the test instead of hanging the suite).
    func session(_ prompt: String, limit: TimeInterval = 120) throws {
        let cli = try #require(Self.cli)
        let (p, out, err) = try EngramProcess.start(["-p", prompt, "--dangerously-skip-permissions"], env: env, cwd: project, executable: cli)
        let output = OutputSink()
        DispatchQueue.global().async { output.set(err: err.fileHandleForReading.readDataToEndOfFile()) }
        DispatchQueue.global().async { _ = out.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(limit)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL); p.waitUntilExit(); Issue.record("claude -p did not finish in \(Int(limit)) s: \(prompt)"); return
        }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "claude -p exited \(p.terminationStatus): \(output.errText.suffix(2000))")
    }

    /// Processes what the hooks queued (the async PostToolUse hooks may still be landing: wait for the queue to settle).
    func drain(_ e: Engram) throws {
        let deadline = Date().addingTimeInterval(30)
        var last = -1
        while Date() < deadline {
            _ = try EngramProcess.run(["process"], env: env, cwd: project)
            let n = try e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") ?? 0 }
            let open = try e.store.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status IN ('pending', 'processing')") ?? 0
            }
            if open == 0 && n == last { return }
            last = n
            usleep(200_000)
        }
    }

    struct Request {
        var text: String
        var toolResults: [(id: String, text: String)]
    }

    /// The requests of one script's conversation, as the model server received them.
    func requests(script: String) throws -> [Request] {
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        return try lines.compactMap { line -> Request? in
            let body = try JSONValue.parse(String(line))["body"] ?? .null
            let text = body.serialized()
            guard text.contains("[script:\(script)]") else { return nil }
            var results: [(String, String)] = []
            for message in body["messages"]?.arrayValue ?? [] {
                for block in message["content"]?.arrayValue ?? [] where block["type"]?.stringValue == "tool_result" {
                    let content = block["content"] ?? .null
                    let text = content.stringValue ?? (content.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
                    results.append((block["tool_use_id"]?.stringValue ?? "", text))
                }
            }
            return Request(text: text, toolResults: results)
        }
    }
}

/// The stderr of a session, read on another thread.
private final class OutputSink: @unchecked Sendable {
    private let lock = NSLock()
    private var err = Data()
    func set(err data: Data) { lock.lock(); err = data; lock.unlock() }
    var errText: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }
}
