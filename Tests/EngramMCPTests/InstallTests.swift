import EngramCore
import EngramMCP
import EngramTestSupport
import Foundation
import Testing

/// Install and uninstall against settings files that already hold other hooks and keys.
@Suite struct InstallTests {
    static let existingSettings = """
        {
          "model": "opus",
          "permissions": { "allow": ["Bash(git status)"], "deny": [] },
          "env": { "FOO": "bar" },
          "hooks": {
            "PostToolUse": [
              { "matcher": "Write|Edit", "hooks": [ { "type": "command", "command": "prettier --write \\"$FILE\\"", "timeout": 30 } ] }
            ],
            "Stop": [ { "hooks": [ { "type": "command", "command": "say done" } ] } ],
            "Notification": [ { "hooks": [ { "type": "command", "command": "notify-send claude" } ] } ]
          }
        }
        """

    static let existingMCP = """
        { "numStartups": 12, "mcpServers": { "github": { "command": "gh-mcp", "args": [] } } }
        """

    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    @Test func installAddsEveryEventAndKeepsEverythingElse() throws {
        let before = try parse(Self.existingSettings)
        let after = try ClaudeCodeHooks.install(into: before, binary: "/opt/engram/bin/engram", path: "settings.json")
        let events = ClaudeCodeHooks.installedEvents(in: after)
        #expect(Set(events.keys) == ["SessionStart", "UserPromptSubmit", "PostToolUse", "PostToolUseFailure", "Stop", "SessionEnd"])
        #expect(events["PostToolUse"] == ["/opt/engram/bin/engram hook post-tool-use"])
        for key in ["model", "permissions", "env"] { #expect(after[key] == before[key]) }
        #expect(after["hooks"]?["Notification"] == before["hooks"]?["Notification"])
        // The user's own PostToolUse group stays first and unchanged.
        #expect(after["hooks"]?["PostToolUse"]?[0] == before["hooks"]?["PostToolUse"]?[0])
        let post = after["hooks"]?["PostToolUse"]?[1]
        #expect(post?["matcher"] == "*")
        #expect(post?["hooks"]?[0]?["async"] == .bool(true))
        #expect(after["hooks"]?["SessionStart"]?[0]?["matcher"] == "startup|resume|clear|compact")
    }

    @Test func theSlimHookBinaryRunsEveryHookButStop() throws {
        let before = try parse(Self.existingSettings)
        let after = try ClaudeCodeHooks.install(
            into: before, binary: "/opt/engram/bin/engram",
            hookBinary: "/opt/engram/bin/engram-hook", path: "s")
        let events = ClaudeCodeHooks.installedEvents(in: after)
        #expect(events["PostToolUse"] == ["/opt/engram/bin/engram-hook post-tool-use"])
        #expect(events["SessionStart"] == ["/opt/engram/bin/engram-hook session-start"])
        #expect(events["UserPromptSubmit"] == ["/opt/engram/bin/engram-hook user-prompt-submit"])
        #expect(events["SessionEnd"] == ["/opt/engram/bin/engram-hook session-end"])
        #expect(events["Stop"] == ["/opt/engram/bin/engram hook stop"])
        // Upgrading from entries written by the full binary replaces them, and uninstall takes all of them out.
        let old = try ClaudeCodeHooks.install(into: before, binary: "/opt/engram/bin/engram", path: "s")
        let upgraded = try ClaudeCodeHooks.install(
            into: old, binary: "/opt/engram/bin/engram",
            hookBinary: "/opt/engram/bin/engram-hook", path: "s")
        #expect(upgraded == after)
        #expect(ClaudeCodeHooks.uninstall(from: upgraded) == before)
        let quoted = ClaudeCodeHooks.command(hookBinary: "/Users/a b/engram-hook", hook: "post-tool-use")
        #expect(ClaudeCodeHooks.hookEvent(of: quoted) == "post-tool-use")
    }

    @Test func installIsIdempotentAndUninstallRestoresTheOriginal() throws {
        let before = try parse(Self.existingSettings)
        let once = try ClaudeCodeHooks.install(into: before, binary: "/opt/engram/bin/engram", path: "s")
        let twice = try ClaudeCodeHooks.install(into: once, binary: "/opt/engram/bin/engram", path: "s")
        #expect(once == twice)
        #expect(ClaudeCodeHooks.uninstall(from: twice) == before)
        // A move of the binary replaces engram's entries instead of adding a second set.
        let moved = try ClaudeCodeHooks.install(into: once, binary: "/usr/local/bin/engram", path: "s")
        #expect(ClaudeCodeHooks.installedEvents(in: moved)["Stop"] == ["/usr/local/bin/engram hook stop"])
        #expect(ClaudeCodeHooks.uninstall(from: moved) == before)
        // Empty settings: uninstall leaves an empty document again.
        let empty = JSONValue.object([:])
        #expect(ClaudeCodeHooks.uninstall(from: try ClaudeCodeHooks.install(into: empty, binary: "engram", path: "s")) == empty)
    }

    @Test(arguments: [
        ("engram hook stop", true), ("/usr/bin/engram hook session-start", true), ("'/Users/a b/engram' hook stop", true),
        ("engram search foo", false), ("my-engram hook stop", false), ("say engram hook", false),
        ("engram-hook post-tool-use", true), ("'/opt/my tools/engram-hook' session-start", true),
        ("engram-hook", false), ("engram-hooks post-tool-use", false), ("engram hook", true),
    ])
    func engramCommandsAreRecognisedByTheirCommandLine(_ command: String, _ expected: Bool) {
        #expect(ClaudeCodeHooks.isEngramCommand(command) == expected)
    }

    @Test func pathsWithSpacesAreQuotedAndRoundTrip() {
        let c = ClaudeCodeHooks.command(binary: "/Users/a b/it's/engram", hook: "stop")
        #expect(ClaudeCodeHooks.hookEvent(of: c) == "stop")
        #expect(ClaudeCodeHooks.isEngramCommand(c))
    }

    @Test func badSettingsShapeIsAClearErrorNotAnOverwrite() throws {
        #expect(throws: InstallError.self) {
            try ClaudeCodeHooks.install(into: try JSONValue.parse(#"{"hooks": []}"#), binary: "engram", path: "s")
        }
    }

    @Test func codexTableIsReplacedAndRemoved() {
        let original = "model = \"o3\"\n\n[mcp_servers.github]\ncommand = \"gh\"\n"
        let once = MCPClientConfig.installCodex(into: original, binary: "/bin/engram")
        #expect(once.contains("[mcp_servers.engram]\ncommand = \"/bin/engram\"\nargs = [\"mcp\"]\n"))
        #expect(MCPClientConfig.installCodex(into: once, binary: "/bin/engram") == once)
        #expect(MCPClientConfig.uninstallCodex(from: once) == original)
    }

    // MARK: through the CLI, on real files

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-install-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("project/.git"), withIntermediateDirectories: true)
        return dir
    }

    @Test func cliInstallTwiceThenUninstall() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let settings = dir.appendingPathComponent("settings.json"), mcp = dir.appendingPathComponent("claude.json")
        try Data(Self.existingSettings.utf8).write(to: settings)
        try Data(Self.existingMCP.utf8).write(to: mcp)
        let env = ["ENGRAM_HOME": dir.appendingPathComponent("home").path, "HOME": dir.path]
        let cwd = dir.appendingPathComponent("project")
        let args = ["install", "claude-code", "--settings", settings.path, "--with-mcp", "--mcp-config", mcp.path, "--json"]

        let first = try EngramProcess.run(args, env: env, cwd: cwd)
        #expect(first.status == 0, "\(first.stderr)")
        let installed = try JSONValue.parse(Data(contentsOf: settings))
        let commands = ClaudeCodeHooks.installedEvents(in: installed).values.flatMap { $0 }
        #expect(commands.count == 6)
        // The engram-hook built beside engram runs every hook but stop, which stays with the full binary.
        let events = ClaudeCodeHooks.installedEvents(in: installed)
        #expect(events["Stop"] == [EngramProcess.binary.path + " hook stop"])
        #expect(events["PostToolUse"] == [EngramProcess.hookBinary.path + " post-tool-use"])
        #expect(commands.allSatisfy { $0.hasPrefix(EngramProcess.binary.path + " hook ") || $0.hasPrefix(EngramProcess.hookBinary.path + " ") })
        let mcpDoc = try JSONValue.parse(Data(contentsOf: mcp))
        #expect(mcpDoc["mcpServers"]?["engram"]?["args"] == .array(["mcp"]))
        #expect(mcpDoc["mcpServers"]?["github"] != nil)
        #expect(mcpDoc["numStartups"] == .number(12))
        let backups = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".engram-backup-") }
        #expect(backups.count == 2)

        let bytesAfterFirst = try Data(contentsOf: settings)
        let second = try EngramProcess.run(args, env: env, cwd: cwd)
        #expect(second.status == 0)
        let report = try JSONValue.parse(second.stdout)
        #expect(report["files"]?.arrayValue?.allSatisfy { $0["changed"] == .bool(false) } == true)
        #expect(try Data(contentsOf: settings) == bytesAfterFirst)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".engram-backup-") }.count == 2)

        let removed = try EngramProcess.run(
            ["uninstall", "claude-code", "--settings", settings.path, "--mcp-config", mcp.path],
            env: env, cwd: cwd)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try JSONValue.parse(Data(contentsOf: settings)) == JSONValue.parse(Self.existingSettings))
        #expect(try JSONValue.parse(Data(contentsOf: mcp)) == JSONValue.parse(Self.existingMCP))
    }

    @Test func cliDryRunWritesNothing() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let settings = dir.appendingPathComponent("settings.json")
        try Data(Self.existingSettings.utf8).write(to: settings)
        let r = try EngramProcess.run(
            ["install", "claude-code", "--settings", settings.path, "--dry-run"],
            env: ["ENGRAM_HOME": dir.appendingPathComponent("home").path, "HOME": dir.path],
            cwd: dir.appendingPathComponent("project"))
        #expect(r.status == 0)
        #expect(r.stdout.contains("hook post-tool-use"))
        #expect(try String(contentsOf: settings, encoding: .utf8) == Self.existingSettings)
    }

    @Test(arguments: ["cursor", "claude-desktop", "codex"])
    func cliInstallMCPClient(_ client: String) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent(client == "codex" ? "config.toml" : "mcp.json")
        let original = client == "codex" ? "model = \"o3\"\n" : Self.existingMCP
        try Data(original.utf8).write(to: config)
        let env = ["ENGRAM_HOME": dir.appendingPathComponent("home").path, "HOME": dir.path]
        let cwd = dir.appendingPathComponent("project")
        let r = try EngramProcess.run(["install", "mcp", "--client", client, "--config", config.path], env: env, cwd: cwd)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text.contains(EngramProcess.binary.path))
        if client != "codex" {
            #expect(try JSONValue.parse(text)["mcpServers"]?["github"] != nil)
        }
        let u = try EngramProcess.run(["uninstall", "mcp", "--client", client, "--config", config.path], env: env, cwd: cwd)
        #expect(u.status == 0, "\(u.stderr)")
        let restored = try String(contentsOf: config, encoding: .utf8)
        if client == "codex" { #expect(restored == original) } else { #expect(try JSONValue.parse(restored) == JSONValue.parse(original)) }
    }

    @Test func cliPrintShowsTheServerEntry() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try EngramProcess.run(["install", "mcp", "--client", "print"], env: ["HOME": dir.path], cwd: dir)
        #expect(r.status == 0)
        #expect(try JSONValue.parse(r.stdout)["mcpServers"]?["engram"]?["args"] == .array(["mcp"]))
    }
}
