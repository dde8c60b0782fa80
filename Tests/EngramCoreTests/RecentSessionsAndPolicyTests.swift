import Foundation
import GRDB
import Testing

@testable import EngramCore

/// The briefing's recent sessions, the LLM policy and `engram config set/unset`, as the real client needs them.
@Suite struct RecentSessionsAndPolicyTests {
    @Test func theSessionThatDidTheWorkOutranksSessionsThatOnlyAsked() throws {
        let env = try TestEnv()
        let e = try env.engram()
        let p = env.project.path
        try e.store.writer.write { db in
            func at(_ hoursAgo: Double) -> String { Timestamp.format(Date().addingTimeInterval(-3600 * hoursAgo)) }
            try db.execute(
                sql: "INSERT INTO sessions (id, project, started_at, updated_at, summary_text) VALUES ('work', ?, ?, ?, ?)",
                arguments: [p, at(10), at(10), "Asked: fix the refresh race. Did: edited app/auth.py. Tests: 1 failed → 7 passed."])
            for (i, (tool, title)) in [("Edit", "Edited app/auth.py: modified refresh"), ("Bash", "pytest tests: 7 passed")].enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary)
                        VALUES ('work', ?, ?, 'PostToolUse', ?, ?, 's')
                        """, arguments: [p, at(10 - Double(i) * 0.1), tool, title])
            }
            // Six later sessions that only asked engram what was done (their MCP calls are not captured).
            for i in 0..<6 {
                try db.execute(
                    sql: "INSERT INTO sessions (id, project, started_at, updated_at, summary_text) VALUES (?, ?, ?, ?, ?)",
                    arguments: ["ask\(i)", p, at(Double(5 - i)), at(Double(5 - i)), "Asked: what did we do before?"])
                try db.execute(
                    sql: "INSERT INTO user_prompts (session_id, created_at, prompt) VALUES (?, ?, 'what did we do before?')",
                    arguments: ["ask\(i)", at(Double(5 - i))])
            }
        }
        let b = try ContextBuilder(e).build(project: p)
        let sessions = try #require(b.layers.first { $0.name == "sessions" }).text
        #expect(sessions.contains("fix the refresh race"), "\(sessions)")
        #expect(sessions.contains("6 sessions with no tool work"), "\(sessions)")
        #expect(sessions.components(separatedBy: "what did we do before").count - 1 == 1, "folded into one line:\n\(sessions)")
    }

    @Test func anAnswerThatIsJSONIsNoOutcome() {
        let digest = SessionDigest(
            prompts: ["list the sessions"], observations: [],
            lastAssistantMessage: #"{"sessions": [{"id": "a1", "count": 3}], "ok": true}"#)
        let text = HeuristicSummarizer().summarize(digest)
        #expect(!text.contains("{"), "\(text)")
        let wrapped = SessionDigest(prompts: [], observations: [], lastAssistantMessage: #"{"result": "Refresh tokens work now."}"#)
        #expect(HeuristicSummarizer().summarize(wrapped).contains("Ended: Refresh tokens work now."))
    }

    @Test func theLLMPolicyIsDecidedInOnePlaceAndOneSwitchKeepsItLocal() throws {
        let agent = ["CLAUDECODE": "1", "ANTHROPIC_API_KEY": "sk-ant-x", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"]
        let on = LLMPolicy.resolve(config: try EngramConfig(env: agent), env: agent)
        #expect(on.provider == "anthropic")
        #expect(on.keyFromAgent)
        #expect(on.baseURL == "http://127.0.0.1:9")
        #expect(on.line.contains("inherited from Claude Code"))
        let shell = LLMPolicy.resolve(config: try EngramConfig(), env: ["ANTHROPIC_API_KEY": "sk-ant-x"])
        #expect(shell.isOn && !shell.keyFromAgent)
        var off = agent
        off["ENGRAM_LLM_ENABLED"] = "0"
        let local = LLMPolicy.resolve(config: try EngramConfig(env: off), env: off)
        #expect(!local.isOn)
        #expect(local.reason.contains("llm.enabled"))
        let fromFile = LLMPolicy.resolve(config: try EngramConfig(fileValues: ["llm.enabled": "false"]), env: agent)
        #expect(!fromFile.isOn)
        #expect(!LLMPolicy.resolve(config: try EngramConfig(), env: [:]).isOn)
    }

    @Test func theBriefingSaysOnceWhenAnInheritedKeySwitchedTheLLMOn() async throws {
        let env = try TestEnv()
        env.env["CLAUDECODE"] = "1"
        env.env["ANTHROPIC_API_KEY"] = "sk-ant-test"
        env.env["ENGRAM_WORKER_AUTOSTART"] = "0"
        func context(_ session: String) async throws -> String {
            let out = await env.runner().run(event: "session-start", stdin: env.payload("SessionStart", session: session, ["source": "startup"]))
            return try JSONValue.parse(try #require(out.stdout))["hookSpecificOutput"]?["additionalContext"]?.stringValue ?? ""
        }
        let first = try await context("a")
        #expect(first.contains("engram note (shown once)"), "\(first)")
        #expect(first.contains("ANTHROPIC_API_KEY"))
        #expect(!first.contains("sk-ant-test"))
        #expect(try await !context("b").contains("engram note"))
        // Doctor and config show read what the hooks decided.
        let seen = try #require(LLMPolicy.seen(paths: try env.engram().paths))
        #expect(seen.policy.keyFromAgent && seen.announced)
        // Switched off, nothing is announced.
        env.env["ENGRAM_LLM_ENABLED"] = "false"
        #expect(try await !context("c").contains("engram note"))
        #expect(LLMPolicy.seen(paths: try env.engram().paths)?.policy.isOn == false)
    }

    @Test func configSetAndUnsetEditOneKeyAndKeepTheRest() throws {
        let env = try TestEnv()
        let paths = EngramPaths.fromEnvironment(env.env)
        try FileManager.default.createDirectory(at: paths.home, withIntermediateDirectories: true)
        try Data("# my settings\n[context]\nbudget = 1500  # tight\n\n[log]\nlevel = \"debug\"\n".utf8).write(to: paths.configTOML)
        let editor = ConfigFileEditor(paths: paths)
        try editor.set("llm.enabled", "false")
        try editor.set("context.budget", "1800")
        try editor.set("capture.skip_tools", "TodoWrite, ToolSearch")
        var c = try EngramConfig.load(paths: paths, env: [:])
        #expect(c.string("context.budget") == "1800")
        #expect(c.bool("llm.enabled") == false)
        #expect(c.stringList("capture.skip_tools") == ["TodoWrite", "ToolSearch"])
        #expect(c.string("log.level") == "debug")
        let text = try String(contentsOf: paths.configTOML, encoding: .utf8)
        #expect(text.hasPrefix("# my settings\n"))
        try editor.unset("context.budget")
        c = try EngramConfig.load(paths: paths, env: [:])
        #expect(c.entries["context.budget"]?.source == .default)
        #expect(throws: EngramError.self) { try editor.set("context.budget", "lots") }
        #expect(throws: EngramError.self) { try editor.set("context.budgett", "5") }
        #expect(try EngramConfig.load(paths: paths, env: [:]).bool("llm.enabled") == false, "a refused value changes nothing")
    }
}
