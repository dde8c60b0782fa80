import EngramCore
import EngramMCP
import Foundation
import Testing

/// The Claude Code plugin in plugin/: valid JSON, every hook runs a real `engram hook` event.
@Suite struct PluginTests {
    static var pluginDir: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.lastPathComponent != "Tests", dir.path != "/" { dir = dir.deletingLastPathComponent() }
        return dir.deletingLastPathComponent().appendingPathComponent("plugin")
    }

    func json(_ relative: String) throws -> JSONValue {
        try JSONValue.parse(Data(contentsOf: Self.pluginDir.appendingPathComponent(relative)))
    }

    @Test func manifestNamesThePlugin() throws {
        let m = try json(".claude-plugin/plugin.json")
        #expect(m["name"] == "engram")
        #expect(m["version"]?.stringValue?.isEmpty == false)
        #expect(m["description"]?.stringValue?.isEmpty == false)
        #expect(m["author"]?["name"]?.stringValue?.isEmpty == false)
    }

    @Test func everyHookCommandIsARealEngramHookEvent() throws {
        let hooks = try json("hooks/hooks.json")["hooks"]?.objectValue ?? [:]
        #expect(Set(hooks.keys) == ["SessionStart", "UserPromptSubmit", "PostToolUse", "PostToolUseFailure", "Stop", "SessionEnd"])
        var seen: [String: String] = [:]
        for (event, groups) in hooks {
            for group in groups.arrayValue ?? [] {
                for hook in group["hooks"]?.arrayValue ?? [] {
                    #expect(hook["type"] == "command")
                    let command = hook["command"]?.stringValue ?? ""
                    let name = try #require(ClaudeCodeHooks.hookEvent(of: command), "\(command) is not an engram hook command")
                    let parsed = try #require(HookRunner.Event(name: name), "\(name) is not an engram hook event")
                    #expect(HookRunner.Event(name: event) == parsed, "\(event) runs \(name)")
                    #expect((hook["timeout"]?.intValue ?? 0) > 0)
                    seen[event] = name
                }
            }
        }
        #expect(seen.count == 6)
        #expect(hooks["PostToolUse"]?[0]?["hooks"]?[0]?["async"] == .bool(true))
        #expect(hooks["PostToolUse"]?[0]?["matcher"] == "*")
        #expect(hooks["SessionStart"]?[0]?["matcher"] == "startup|resume|clear|compact")
    }

    @Test func installerRegistersWhatThePluginRegisters() throws {
        let plugin = try json("hooks/hooks.json")["hooks"]?.objectValue ?? [:]
        let installed = ClaudeCodeHooks.hooksObject(binary: "engram", hookBinary: "engram-hook")
        #expect(plugin == installed)
    }

    @Test func mcpConfigStartsTheServer() throws {
        let m = try json(".mcp.json")
        #expect(m["mcpServers"]?["engram"] == MCPClientConfig.serverEntry(binary: "engram"))
    }

    @Test func skillHasFrontMatterAndTeachesTheDrillDown() throws {
        let text = try String(contentsOf: Self.pluginDir.appendingPathComponent("skills/mem-search/SKILL.md"), encoding: .utf8)
        let parts = text.components(separatedBy: "---\n")
        #expect(parts.count >= 3 && parts[0].isEmpty)
        let front = parts.count > 1 ? parts[1] : ""
        #expect(front.contains("name: mem-search"))
        let description = front.split(separator: "\n").first { $0.hasPrefix("description:") } ?? ""
        #expect(description.count > 60 && description.contains("Use when"))
        #expect(text.contains("engram search") && text.contains("engram show"))
    }
}
