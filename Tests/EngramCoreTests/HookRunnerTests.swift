import Foundation
import GRDB
import Testing

@testable import EngramCore

@Suite struct HookRunnerTests {
    func queueCount(_ env: TestEnv) throws -> Int {
        try env.engram().store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") ?? 0 }
    }

    @Test(arguments: [
        ("empty", Data()),
        ("whitespace", Data("  \n".utf8)),
        ("not json", Data("not json".utf8)),
        ("array", Data("[1,2,3]".utf8)),
        ("string", Data("\"hello\"".utf8)),
        ("binary junk", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })),
        ("truncated", Data(#"{"session_id":"s","tool_name":"Bash","tool_input":{"comm"#.utf8)),
    ])
    func badInputIsIgnoredWithAReasonAndNoOutput(name: String, data: Data) async throws {
        let env = try TestEnv()
        for event in HookRunner.Event.allCases {
            let out = await env.runner().run(event: event.rawValue, stdin: data)
            #expect(out.stdout == nil, "\(name) → \(event) printed on stdout")
            #expect(out.diagnostics.count == 1, "\(name) → \(event) should say why")
        }
        #expect(try queueCount(env) == 0)
    }

    @Test func wrongShapedFieldsStillCaptureWhatTheyCan() async throws {
        let env = try TestEnv()
        // Numbers where strings are expected, a string tool_response, no cwd, no session id.
        let data = Data(
            #"{"session_id": 42, "hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": "ls", "tool_response": "a\nb", "duration_ms": "x"}"#
                .utf8)
        let out = await env.runner().run(event: "post-tool-use", stdin: data)
        #expect(out.stdout == nil)
        #expect(out.diagnostics.isEmpty)
        #expect(try queueCount(env) == 1)
    }

    @Test func invalidUTF8IsRepairedAndCaptured() async throws {
        let env = try TestEnv()
        var data = env.toolPayload("Bash", input: ["command": "cat data.bin"], response: ["stdout": "MARK", "stderr": ""])
        let mark = data.range(of: Data("MARK".utf8))!
        data.replaceSubrange(mark, with: [0x66, 0xFF, 0xFE, 0xC3, 0x28, 0x67])
        let out = await env.runner().run(event: "post-tool-use", stdin: data)
        #expect(out.diagnostics.isEmpty)
        let payload = try await env.engram().store.writer.read { db in try String.fetchOne(db, sql: "SELECT payload FROM pending_queue") }
        #expect(payload?.contains("\u{FFFD}") == true)
    }

    @Test func missingCwdFallsBackToTheProcessDirectory() async throws {
        let env = try TestEnv()
        let data = Data(#"{"session_id":"s","hook_event_name":"UserPromptSubmit","prompt":"hello there"}"#.utf8)
        let out = await env.runner().run(event: "user-prompt-submit", stdin: data)
        #expect(out.diagnostics.isEmpty)
        let project = try await env.engram().store.writer.read { db in try String.fetchOne(db, sql: "SELECT project FROM sessions") }
        #expect(project?.isEmpty == false)
    }

    @Test func unknownEventNamesTheValidOnes() async throws {
        let env = try TestEnv()
        let out = await env.runner().run(event: "pre-compact", stdin: env.payload("PreCompact"))
        #expect(out.stdout == nil)
        #expect(out.diagnostics.first?.contains("session-start") == true)
        // Claude Code's own spelling is accepted too.
        #expect(HookRunner.Event(name: "PostToolUse") == .postToolUse)
        #expect(HookRunner.Event(name: "session_end") == .sessionEnd)
    }

    @Test func aFiftyMegabyteToolResponseIsStoredBounded() async throws {
        let env = try TestEnv()
        let big = String(repeating: "0123456789abcdef", count: 50 * 1024 * 1024 / 16) + "\n===== 1 failed, 6 passed in 0.42s ====="
        let data = env.toolPayload("Bash", input: ["command": "pytest"], response: ["stdout": .string(big), "stderr": ""])
        #expect(data.count > 50_000_000)
        let out = await env.runner().run(event: "post-tool-use", stdin: data)
        #expect(out.diagnostics.isEmpty)
        let row = try env.engram().store.writer.read { db in try Row.fetchOne(db, sql: "SELECT payload, raw_size_bytes FROM pending_queue") }
        let payload: String = try #require(row?["payload"])
        #expect(payload.utf8.count <= EngramConfig.defaultMaxPayload)
        #expect(payload.contains("1 failed, 6 passed"), "the tail of the output is kept")
        #expect(payload.contains("bytes omitted"))
        #expect((row?["raw_size_bytes"] as Int?) == data.count)
    }

    @Test func anUnwritableDataDirExitsQuietlyAndSaysWhy() async throws {
        let env = try TestEnv()
        try FileManager.default.createDirectory(at: env.home, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: env.home.appendingPathComponent("blocker"))
        env.env["ENGRAM_HOME"] = env.home.appendingPathComponent("blocker").path + "/sub"
        let out = await env.runner().run(event: "session-start", stdin: env.payload("SessionStart", ["source": "startup"]))
        #expect(out.stdout == nil)
        #expect(out.diagnostics.first?.contains("data directory") == true)
    }

    @Test func skippedToolsAndEngramsOwnToolsAreNotCaptured() async throws {
        let env = try TestEnv()
        for tool in ["TodoWrite", "mcp__engram__search", "mcp__plugin_engram_engram__search"] {
            _ = await env.runner().run(event: "post-tool-use", stdin: env.toolPayload(tool, input: [:], response: [:]))
        }
        #expect(try queueCount(env) == 0)
        env.env["ENGRAM_CAPTURE_SKIP_TOOLS"] = "Glob"
        _ = await env.runner().run(event: "post-tool-use", stdin: env.toolPayload("TodoWrite", input: [:], response: [:]))
        _ = await env.runner().run(event: "post-tool-use", stdin: env.toolPayload("Glob", input: [:], response: [:]))
        #expect(try queueCount(env) == 1)
    }

    @Test func disabledGloballyOrPerProjectCapturesNothing() async throws {
        let env = try TestEnv()
        env.env["ENGRAM_DISABLED"] = "1"
        _ = await env.runner().run(event: "post-tool-use", stdin: env.toolPayload("Bash", input: ["command": "ls"], response: [:]))
        #expect(!FileManager.default.fileExists(atPath: env.home.path), "a disabled engram must not even create its data dir")
        env.env["ENGRAM_DISABLED"] = nil
        try Data().write(to: env.project.appendingPathComponent(".engram-ignore"))
        let out = await env.runner().run(event: "session-start", stdin: env.payload("SessionStart"))
        #expect(out.stdout == nil)
        #expect(!FileManager.default.fileExists(atPath: env.home.path))
    }

    @Test func privateSpansNeverReachTheDatabase() async throws {
        let env = try TestEnv()
        _ = await env.runner().run(
            event: "user-prompt-submit",
            stdin: env.payload("UserPromptSubmit", ["prompt": "fix login <private>my password is hunter2</private> please"]))
        _ = await env.runner().run(
            event: "post-tool-use",
            stdin: env.toolPayload("Bash", input: ["command": "echo <private>secret-value</private>"], response: ["stdout": "ok"]))
        let db = try Data(contentsOf: env.home.appendingPathComponent("engram.sqlite"))
        let wal = (try? Data(contentsOf: env.home.appendingPathComponent("engram.sqlite-wal"))) ?? Data()
        for blob in [db, wal] {
            #expect(blob.range(of: Data("hunter2".utf8)) == nil)
            #expect(blob.range(of: Data("secret-value".utf8)) == nil)
        }
    }

    @Test func sessionStartAnswersWithHookSpecificOutput() async throws {
        let env = try TestEnv()
        let out = await env.runner().run(event: "session-start", stdin: env.payload("SessionStart", ["source": "startup"]))
        let json = try JSONValue.parse(try #require(out.stdout))
        #expect(json["hookSpecificOutput"]?["hookEventName"] == "SessionStart")
        #expect(json["hookSpecificOutput"]?["additionalContext"]?.stringValue?.contains("engram memory") == true)
        #expect(out.diagnostics.isEmpty)
    }

    @Test func aFullSessionLeavesASummaryAndAClosedSession() async throws {
        let env = try TestEnv()
        let r = env.runner()
        _ = await r.run(event: "session-start", stdin: env.payload("SessionStart", ["source": "startup"]))
        _ = await r.run(event: "user-prompt-submit", stdin: env.payload("UserPromptSubmit", ["prompt": "Add a health endpoint"]))
        _ = await r.run(
            event: "post-tool-use",
            stdin: env.toolPayload("Bash", input: ["command": "pytest -q"], response: ["stdout": "3 passed in 0.1s", "stderr": ""]))
        _ = await r.run(
            event: "stop", stdin: env.payload("Stop", ["stop_hook_active": false, "last_assistant_message": "Added /health and its test."]))
        _ = await r.run(event: "session-end", stdin: env.payload("SessionEnd", ["reason": "prompt_input_exit"]))
        let s = try await env.engram().store.writer.read { db in try SessionRecord.fetchOne(db, key: ["id": "sess-1"]) }
        let session = try #require(s)
        #expect(session.status == "closed")
        #expect(session.endReason == "prompt_input_exit")
        #expect(session.promptCount == 1)
        #expect(session.summaryText?.isEmpty == false)
        #expect(session.lastAssistantMessage == "Added /health and its test.")
        let pending = try await env.engram().store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status != 'done'")
        }
        #expect(pending == 0, "stop processes the session's queue")
        let events = try await env.engram().store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT event_type FROM event_log ORDER BY 1")
        }
        for e in ["compress.done", "context.token_budget", "hook.capture", "hook.context_inject", "hook.summary"] {
            #expect(events.contains(e), "missing event \(e)")
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: env.home.appendingPathComponent("logs").path)
        #expect(logs.contains { $0.hasPrefix("events-") && $0.hasSuffix(".jsonl") })
    }

    /// Stop without a worker finishes through the engine the opener wired (the runtime passes the worker's wiring),
    /// after the session's queue caught up: the proposer reads the session's observations and its learning is stored.
    @Test func stopFinishesThroughTheOpenedEnginesWiringWithTheSessionsObservations() async throws {
        let env = try TestEnv()
        let seen = SeenObservations()
        let r = HookRunner(
            env: env.env,
            opener: { env, clock in
                var wiring = Engine.Wiring()
                wiring.learningProposer = (
                    "recorded",
                    { material in
                        await seen.set(material.observations)
                        return [(category: "pattern", content: "Health checks live in app/health.py and are tested with pytest")]
                    }
                )
                return Engine(try Engram.open(env: env, clock: clock), wiring: wiring)
            })
        _ = await r.run(event: "user-prompt-submit", stdin: env.payload("UserPromptSubmit", ["prompt": "Add a health endpoint"]))
        _ = await r.run(
            event: "post-tool-use",
            stdin: env.toolPayload(
                "Bash", input: ["command": "pytest -q tests/test_health.py"], response: ["stdout": "3 passed in 0.1s", "stderr": ""]))
        _ = await r.run(event: "stop", stdin: env.payload("Stop", ["stop_hook_active": false, "last_assistant_message": "Added /health."]))
        let observations = await seen.lines
        #expect(observations.contains { $0.contains("test_health.py") }, "\(observations)")
        let learned = try await env.engram().store.writer.read { db in try String.fetchAll(db, sql: "SELECT content FROM learnings") }
        #expect(learned == ["Health checks live in app/health.py and are tested with pytest"])
    }
}

private actor SeenObservations {
    var lines: [String] = []
    func set(_ lines: [String]) { self.lines = lines }
}
