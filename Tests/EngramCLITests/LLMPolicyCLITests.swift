import EngramCore
import EngramTestSupport
import Foundation
import Testing

/// Doctor and `config show` tell the truth about the LLM: what this shell would decide and what Claude Code's hooks
/// (which hold the agent's keys) decided; `config set` is the way to switch it off.
@Suite struct LLMPolicyCLITests {
    func shell(_ cli: CLIRunner) -> CLIRunner {
        var c = cli
        for k in c.env.keys where k.hasPrefix("ANTHROPIC_") || k.hasPrefix("OPENAI_") || k == "CLAUDECODE" || k.hasPrefix("ENGRAM_LLM") {
            c.env.removeValue(forKey: k)
        }
        return c
    }

    @Test func doctorAndConfigShowReportTheKeyTheHooksInherited() throws {
        let cli = shell(try CLIRunner())
        defer { cli.cleanup() }
        // A session start under Claude Code, whose environment holds a key the user's shell does not.
        var agent = cli.env
        agent["CLAUDECODE"] = "1"
        agent["ANTHROPIC_API_KEY"] = "sk-ant-test-key"
        let (p, out, _) = try EngramProcess.start(
            ["hook", "session-start"], env: agent, cwd: cli.project,
            stdin: cli.hookPayload("SessionStart", session: "s1", ["source": "startup"]))
        let answer = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(String(decoding: answer, as: UTF8.self).contains("engram note (shown once)"))

        let doctor = try cli.run(["doctor", "--json"])
        let checks = try JSONValue.parse(doctor.stdout)["checks"]?.arrayValue ?? []
        let llm = try #require(checks.first { $0["name"] == "LLM" }, "\(doctor.stdout)")
        let detail = llm["detail"]?.stringValue ?? ""
        #expect(detail.contains("this shell: LLM off"), "\(detail)")
        #expect(detail.contains("inherited from Claude Code"), "\(detail)")
        #expect(llm["status"] == "warn")
        #expect(!doctor.stdout.contains("sk-ant-test-key"))

        let show = try JSONValue.parse(try cli.run(["config", "show", "--json"]).stdout)
        #expect(show["llm"]?["here"]?["provider"] == nil || show["llm"]?["here"]?["provider"] == .null)
        #expect(show["llm"]?["hooks"]?["policy"]?["provider"] == "anthropic")
        #expect(show["llm"]?["hooks"]?["policy"]?["key_from_agent"] == true)

        // The one switch, set from the CLI, turns it off for the hooks too.
        #expect(try cli.run(["config", "set", "llm.enabled", "false"]).status == 0)
        let (p2, out2, _) = try EngramProcess.start(
            ["hook", "session-start"], env: agent, cwd: cli.project,
            stdin: cli.hookPayload("SessionStart", session: "s2", ["source": "startup"]))
        _ = out2.fileHandleForReading.readDataToEndOfFile()
        p2.waitUntilExit()
        let after = try JSONValue.parse(try cli.run(["config", "show", "--json"]).stdout)
        #expect(after["llm"]?["hooks"]?["policy"]?["reason"]?.stringValue?.contains("llm.enabled = false") == true)
    }

    @Test func configSetRefusesUnknownKeysAndBadValues() throws {
        let cli = shell(try CLIRunner())
        defer { cli.cleanup() }
        let unknown = try cli.run(["config", "set", "context.budgett", "5"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("context.budget"), "names the known keys: \(unknown.stderr)")
        let bad = try cli.run(["config", "set", "context.budget", "lots"])
        #expect(bad.status == 1)
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        #expect(try cli.run(["config", "set", "context.budget", "1500"]).status == 0)
        #expect(try cli.run(["config", "unset", "context.budget"]).status == 0)
    }
}
