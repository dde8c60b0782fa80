import EngramDemo
import Foundation
import Testing

@testable import EngramCore

struct DemoSessionTests {
    static let projectDir = "/Users/dev/tokenshop"
    static let today = DemoSession.hookPayloads(
        projectDir: projectDir, sessionID: "sess-today",
        transcriptPath: "/Users/dev/.claude/projects/-Users-dev-tokenshop/sess-today.jsonl")
    static let yesterday = DemoSession.yesterdayPayloads(
        projectDir: projectDir, sessionID: "sess-yesterday",
        transcriptPath: "/Users/dev/.claude/projects/-Users-dev-tokenshop/sess-yesterday.jsonl")

    static let hookNames = [
        "session-start": "SessionStart", "user-prompt-submit": "UserPromptSubmit",
        "post-tool-use": "PostToolUse", "post-tool-use-failure": "PostToolUseFailure",
        "stop": "Stop", "session-end": "SessionEnd",
    ]

    /// Tool calls, failed ones included (Claude Code reports those as PostToolUseFailure).
    static func isTool(_ event: String) -> Bool { event == "post-tool-use" || event == "post-tool-use-failure" }

    /// The event the processor decodes from a payload, failure or not.
    static func toolEvent(_ v: JSONValue) -> ToolEvent {
        ToolEvent(
            toolName: v["tool_name"]?.stringValue ?? "", input: v["tool_input"] ?? .null, response: v["tool_response"] ?? .null,
            cwd: v["cwd"]?.stringValue, error: v["hook_event_name"]?.stringValue == "PostToolUseFailure" ? v["error"]?.stringValue ?? "" : nil)
    }

    @Test(arguments: [("today", today), ("yesterday", yesterday)])
    func everyPayloadCarriesClaudeCodeFields(_ name: String, _ payloads: [(event: String, json: String)]) throws {
        var toolUseIDs = Set<String>()
        for p in payloads {
            let v = try JSONValue.parse(p.json)
            #expect(v["hook_event_name"]?.stringValue == Self.hookNames[p.event], "\(name) \(p.event)")
            #expect(v["session_id"]?.stringValue?.hasPrefix("sess-") == true)
            #expect(v["transcript_path"]?.stringValue?.hasSuffix(".jsonl") == true)
            #expect(v["cwd"]?.stringValue == Self.projectDir)
            #expect(v["permission_mode"]?.stringValue != nil)
            switch p.event {
            case "session-start": #expect(v["source"]?.stringValue == "startup")
            case "user-prompt-submit": #expect(v["prompt"]?.stringValue?.isEmpty == false)
            case "post-tool-use":
                #expect(v["tool_name"]?.stringValue != nil)
                #expect(v["tool_input"]?.objectValue != nil)
                #expect(v["tool_response"]?.objectValue != nil)
                #expect(v["duration_ms"]?.intValue != nil)
                let id = try #require(v["tool_use_id"]?.stringValue)
                #expect(id.hasPrefix("toolu_01"))
                #expect(toolUseIDs.insert(id).inserted, "duplicate tool_use_id \(id)")
            case "post-tool-use-failure":
                #expect(v["tool_name"]?.stringValue == "Bash")
                #expect(v["tool_response"] == nil, "a failure carries no tool_response")
                #expect(v["error"]?.stringValue?.hasPrefix("Exit code 1\n") == true)
                #expect(v["is_interrupt"]?.boolValue == false)
                let id = try #require(v["tool_use_id"]?.stringValue)
                #expect(toolUseIDs.insert(id).inserted, "duplicate tool_use_id \(id)")
            case "stop":
                #expect(v["stop_hook_active"]?.boolValue == false)
                #expect(v["last_assistant_message"]?.stringValue?.isEmpty == false)
            case "session-end": #expect(v["reason"]?.stringValue != nil)
            default: Issue.record("unexpected event \(p.event)")
            }
            // Nothing of the machine that recorded the pytest run leaks into the payloads.
            #expect(!p.json.contains("/root/") && !p.json.contains("/tmp/") && !p.json.contains(".pyenv"))
        }
        #expect(payloads.first?.event == "session-start")
        #expect(payloads.last?.event == "session-end")
    }

    @Test func todaysToolSequence() throws {
        let tools = try Self.today.filter { Self.isTool($0.event) }.map { try JSONValue.parse($0.json)["tool_name"]?.stringValue }
        #expect(tools == ["Read", "Grep", "Edit", "Write", "Bash", "Edit", "Bash", "TodoWrite"])
        #expect(
            try JSONValue.parse(Self.today[1].json)["prompt"]?.stringValue
                == "Add refresh token support to the auth service and make the tests pass")
    }

    @Test func compressedTitlesTellTheStory() throws {
        let titles = try Self.today.filter { Self.isTool($0.event) }.map { p -> String in
            HeuristicCompressor().compressSync(Self.toolEvent(try JSONValue.parse(p.json))).title
        }
        #expect(
            titles
                == [
                    "Read app/services/auth.py (74 lines)",
                    "Searched 'refresh_token' in app/: 2 files",
                    "Edited app/services/auth.py: added refresh_token; changed _issue",
                    "Rewrote tests/test_auth.py (49 lines): added test_refresh_token_flow +1",
                    "pytest tests/test_auth.py: 1 failed (test_refresh_token_flow, DecodeError), 6 passed",
                    "Edited app/services/auth.py: changed _issue",
                    "pytest tests/test_auth.py: 7 passed",
                    "Updated todos: 3/3 done",
                ].map { HeuristicText.oneLine($0, limit: HeuristicText.titleLimit) })
    }

    @Test func sessionSummaryFromTheCompressedDemo() throws {
        var observations: [ObservationDigest] = []
        var prompts: [String] = []
        var last: String?
        for p in Self.today {
            let v = try JSONValue.parse(p.json)
            switch p.event {
            case "user-prompt-submit": prompts.append(v["prompt"]?.stringValue ?? "")
            case "stop": last = v["last_assistant_message"]?.stringValue
            case "post-tool-use", "post-tool-use-failure":
                let tool = v["tool_name"]?.stringValue ?? ""
                let o = HeuristicCompressor().compressSync(Self.toolEvent(v))
                observations.append(ObservationDigest(toolName: tool, title: o.title, summary: o.summary, filesTouched: o.filesTouched))
            default: break
            }
        }
        let summary = HeuristicSummarizer().summarize(SessionDigest(prompts: prompts, observations: observations, lastAssistantMessage: last))
        #expect(
            summary == "Asked: Add refresh token support to the auth service and make the tests pass. "
                + "Did: edited app/services/auth.py (added refresh_token; changed _issue); "
                + "rewrote tests/test_auth.py (added test_refresh_token_flow +1). "
                + "Tests: 1 failed → 7 passed. Ended: Refresh tokens work end to end now.")
    }

    @Test func editsApplyToTheProjectFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for file in DemoSession.projectFiles {
            let url = dir.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
        }
        // Payloads name files under their own cwd; apply rebases them onto the real directory.
        for p in Self.today where p.event == "post-tool-use" {
            try DemoSession.apply(payloadJSON: p.json, projectDir: dir.path)
        }
        let auth = try String(contentsOf: dir.appendingPathComponent("app/services/auth.py"), encoding: .utf8)
        #expect(auth.contains("    def refresh_token(self, token: str) -> TokenPair:"))
        #expect(auth.contains("            refresh_token=refresh,\n"))
        #expect(!auth.contains("refresh_token=jti"))
        let tests = try String(contentsOf: dir.appendingPathComponent("tests/test_auth.py"), encoding: .utf8)
        #expect(tests.contains("def test_refresh_token_flow(auth_service):"))
        // A second application no longer matches: the first Edit's old text is gone.
        #expect(throws: DemoSession.DemoError.self) { try DemoSession.applyEdits(projectDir: dir.path) }
    }

    /// The recorded payloads under Tests/Fixtures/hooks are Claude Code stdin documents the hook tests can replay.
    @Test(arguments: [
        ("post-tool-use-read.json", "Read app/services/auth.py (74 lines)"),
        ("post-tool-use-grep.json", "Searched 'refresh_token' in app/: 2 files"),
        ("post-tool-use-edit.json", "Edited app/services/auth.py: added refresh_token; changed _issue"),
        ("post-tool-use-bash-pytest-failed.json", "pytest tests/test_auth.py: 1 failed (test_refresh_token_flow, DecodeError), 6 passed"),
        ("post-tool-use-edit-fix.json", "Edited app/services/auth.py: changed _issue"),
        ("post-tool-use-bash-pytest-passed.json", "pytest tests/test_auth.py: 7 passed"),
    ])
    func recordedFixturesCompress(_ name: String, _ title: String) throws {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests", url.pathComponents.count > 1 { url.deleteLastPathComponent() }
        let v = try JSONValue.parse(try Data(contentsOf: url.appendingPathComponent("Fixtures/hooks/\(name)")))
        #expect(v["hook_event_name"]?.stringValue == "PostToolUse")
        let event = ToolEvent(
            toolName: v["tool_name"]?.stringValue ?? "", input: v["tool_input"] ?? .null,
            response: v["tool_response"] ?? .null, cwd: v["cwd"]?.stringValue,
            durationMs: v["duration_ms"]?.intValue)
        #expect(HeuristicCompressor().compressSync(event).title == title)
    }

    @Test func projectFilesAreSmallRealPython() {
        let paths = DemoSession.projectFiles.map(\.path)
        #expect(paths.contains("app/services/auth.py"))
        #expect(paths.contains("app/models/token.py"))
        #expect(paths.contains("tests/test_auth.py"))
        let auth = DemoSession.projectFiles.first { $0.path == "app/services/auth.py" }?.contents ?? ""
        #expect(CodeSymbols.definitions(in: auth).map(\.name).contains("AuthService"))
        #expect(auth.hasSuffix("\n"))
    }
}
