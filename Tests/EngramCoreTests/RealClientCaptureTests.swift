import Foundation
import GRDB
import Testing

@testable import EngramCore

/// What Claude Code 2.1.33x really sends (payloads recorded from the CLI under Tests/Fixtures/hooks/claude-2.1.332-*,
/// paths rewritten to /Users/me/app) and what engram must make of it.
@Suite struct RealClientCaptureTests {
    /// A recorded payload with its cwd, paths and session id pointed at this test's project.
    func recorded(_ name: String, _ env: TestEnv, session: String = "sess-1", _ extra: [String: JSONValue] = [:]) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/hooks/claude-2.1.332-\(name).json")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "/Users/me/app", with: env.project.path)
        guard case .object(var o) = try JSONValue.parse(text) else { throw EngramError.invalidArgument("fixture \(name)") }
        o["session_id"] = .string(session)
        for (k, v) in extra { o[k] = v }
        return Data(JSONValue.object(o).serialized().utf8)
    }

    func observations(_ e: Engram) throws -> [ObservationRecord] {
        try e.store.writer.read { db in try ObservationRecord.fetchAll(db, sql: "SELECT * FROM observations ORDER BY id") }
    }

    @Test func aFailingTestRunIsAnObservationThatSaysWhatFailed() async throws {
        let env = try TestEnv()
        let out = await env.runner().run(event: "post-tool-use-failure", stdin: try recorded("post-tool-use-failure-bash", env))
        #expect(out.stdout == nil)
        #expect(out.diagnostics.isEmpty)
        let e = try env.engram()
        try await QueueProcessor(e).drain()
        let o = try #require(try observations(e).first)
        #expect(o.hookType == "PostToolUseFailure")
        #expect(o.toolName == "Bash")
        // "unittest test_app: 1 error (test_divide)": the failing test by name, not "Ran python3…".
        #expect(o.title.contains("test_divide"), "\(o.title)")
        #expect(o.title.contains("error"), "\(o.title)")
        #expect(((o.summary + " " + (o.detail ?? ""))).contains("ZeroDivisionError"))
        let hits = try SearchService(e).search(.init(text: "ZeroDivisionError", project: env.project.path))
        #expect(hits.first?.id == "#\(o.id ?? 0)")
    }

    @Test func aFailedReadOrEditSaysWhichCallFailedAndKeepsTheInterrupt() async throws {
        let env = try TestEnv()
        let read = env.payload(
            "PostToolUseFailure",
            [
                "tool_name": "Read", "tool_input": ["file_path": .string(env.project.path + "/missing.py")], "tool_use_id": "toolu_9",
                "error": .string("File does not exist. Note: your current working directory is \(env.project.path)."), "is_interrupt": false,
            ])
        let edit = env.payload(
            "PostToolUseFailure",
            [
                "tool_name": "Edit", "tool_input": ["file_path": .string(env.project.path + "/app.py"), "old_string": "x", "new_string": "y"],
                "error": "String to replace not found in file.", "is_interrupt": true,
            ])
        _ = await env.runner().run(event: "post-tool-use-failure", stdin: read)
        _ = await env.runner().run(event: "PostToolUseFailure", stdin: edit)
        let e = try env.engram()
        let payloads = try await e.store.writer.read { db in try String.fetchAll(db, sql: "SELECT payload FROM pending_queue ORDER BY id") }
        #expect(try JSONValue.parse(payloads[1])["is_interrupt"]?.boolValue == true)
        try await QueueProcessor(e).drain()
        let obs = try observations(e)
        #expect(obs.count == 2)
        #expect(obs[0].title.hasPrefix("Read missing.py failed: File does not exist."), "\(obs[0].title)")
        #expect(obs[0].files == ["missing.py"])
        #expect(obs[1].title == "Edit app.py failed: interrupted", "\(obs[1].title)")
        #expect(obs[1].summary.contains("String to replace not found"))
    }

    @Test func aFailuresErrorIsBoundedAndRedactedLikeAnyPayload() async throws {
        let env = try TestEnv()
        let secret = "sk-ant-api03-" + String(repeating: "Q7x", count: 30)
        let huge = "Exit code 1\nANTHROPIC_API_KEY=\(secret)\n" + String(repeating: "noise line\n", count: 3_000_000) + "FAILED (errors=1)"
        let data = env.payload("PostToolUseFailure", ["tool_name": "Bash", "tool_input": ["command": "make check"], "error": .string(huge)])
        let out = await env.runner().run(event: "post-tool-use-failure", stdin: data)
        #expect(out.diagnostics.isEmpty)
        let payload = try #require(
            try await env.engram().store.writer.read { db in try String.fetchOne(db, sql: "SELECT payload FROM pending_queue") })
        #expect(payload.utf8.count <= EngramConfig.defaultMaxPayload)
        #expect(!payload.contains(secret))
        #expect(payload.contains("FAILED (errors=1)"), "the tail of the error is kept")
    }

    @Test func aLoneSessionEndLeavesNoSession() async throws {
        let env = try TestEnv()
        // What `claude mcp list` fires: a SessionEnd with a fresh id and nothing before it.
        let out = await env.runner().run(event: "session-end", stdin: env.payload("SessionEnd", session: "phantom", ["reason": "other"]))
        #expect(out.diagnostics.isEmpty)
        let e = try env.engram()
        #expect(try await e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") } == 0)
        // A real session still closes.
        _ = await env.runner().run(event: "user-prompt-submit", stdin: try recorded("user-prompt-submit", env, session: "real"))
        _ = await env.runner().run(event: "session-end", stdin: env.payload("SessionEnd", session: "real", ["reason": "other"]))
        let status = try await e.store.writer.read { db in try String.fetchOne(db, sql: "SELECT status FROM sessions WHERE id = 'real'") }
        #expect(status == "closed")
    }

    @Test(arguments: ["ToolSearch", "mcp__engram__search", "mcp__plugin_engram_engram__search"])
    func noiseAndEngramsOwnToolsAreNotCaptured(tool: String) async throws {
        let env = try TestEnv()
        let data = env.toolPayload(tool, input: ["query": "select:mcp__engram__search"], response: "found")
        _ = await env.runner().run(event: "post-tool-use", stdin: data)
        #expect(try await env.engram().store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") } == 0)
        // The default is visible (and editable) where the setting lives.
        #expect(try env.engram().config.stringList("capture.skip_tools").contains("ToolSearch"))
    }

    @Test func promptIDLinksEachObservationToItsPromptAndNewFieldsAreTolerated() async throws {
        let env = try TestEnv()
        for (event, name) in [("user-prompt-submit", "user-prompt-submit"), ("post-tool-use-failure", "post-tool-use-failure-bash")] {
            let out = await env.runner().run(event: event, stdin: try recorded(name, env))
            #expect(out.diagnostics.isEmpty)
        }
        // Stop carries effort, background_tasks and session_crons: tolerated.
        let stop = await env.runner().run(event: "stop", stdin: try recorded("stop", env))
        #expect(stop.diagnostics.isEmpty)
        let e = try env.engram()
        let row = try #require(
            try await e.store.writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT o.prompt_id, p.prompt FROM observations o JOIN user_prompts p ON p.prompt_id = o.prompt_id
                        """)
            })
        #expect((row["prompt_id"] as String?) == "3257fccf-ee65-478b-912f-0e1a9f0bf954")
        #expect((row["prompt"] as String?)?.contains("run the tests") == true)
    }

    @Test func theSummaryWaitsForOrTakesOverItemsAnotherProcessorHolds() async throws {
        let env = try TestEnv()
        env.env["ENGRAM_PROCESSING_FINISH_WAIT_SECONDS"] = "0.3"
        _ = await env.runner().run(event: "user-prompt-submit", stdin: try recorded("user-prompt-submit", env))
        for i in 0..<3 {
            let edit = env.toolPayload(
                "Edit", input: ["file_path": .string(env.project.path + "/mod\(i).py"), "old_string": "a", "new_string": "b"],
                response: ["filePath": .string(env.project.path + "/mod\(i).py")])
            _ = await env.runner().run(event: "post-tool-use", stdin: edit)
        }
        // Another processor (the worker's batch, or a killed one) has claimed them and not written them yet.
        let e = try env.engram()
        let held = try QueueProcessor(e).claim(max: 10, sessionID: "sess-1")
        #expect(held.count == 3)
        let out = await env.runner().run(event: "stop", stdin: try recorded("stop", env))
        #expect(out.diagnostics.isEmpty)
        let summary = try await e.store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT data FROM event_log WHERE event_type = 'hook.summary'")
        }
        #expect(try JSONValue.parse(try #require(summary))["observations"]?.intValue == 3)
        let text = try await e.store.writer.read { db in try String.fetchOne(db, sql: "SELECT summary_text FROM sessions WHERE id = 'sess-1'") }
        #expect(text?.contains("mod0.py") == true, "\(text ?? "")")
        #expect(try observations(e).count == 3, "each item is still one observation")
    }
}
