import EngramCore
import EngramTestSupport
import Foundation
import Testing

/// Starts `engram mcp` as a real process and drives it with the official MCP Python SDK
/// (Tests/Integration/mcp/mcp_client_check.py). CI installs the SDK (`pip install mcp`).
@Suite struct MCPIntegrationTests {
    static var script: URL {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.lastPathComponent != "Tests", dir.path != "/" { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("Integration/mcp/mcp_client_check.py")
    }

    struct Step: Encodable {
        var label: String
        var tool: String
        var arguments: [String: JSONValue]?
    }

    @Test func pythonSDKClientDrivesEveryTool() throws {
        let env = try MCPTestEnv()
        try env.seed()
        try env.write("app/util.py", "def helper(x):\n    return twice(x)\n\n\ndef twice(y):\n    return y * 2\n")
        try FileManager.default.createSymbolicLink(atPath: env.project.path + "/escape", withDestinationPath: env.outside.path)

        let steps: [Step] = [
            Step(label: "search", tool: "search", arguments: ["query": "token refresh", "kind": "observation"]),
            Step(label: "search_since", tool: "search", arguments: ["query": "token", "since": "2026-11-21"]),
            Step(label: "timeline", tool: "timeline", arguments: ["id": "#2", "before": 1, "after": 1]),
            Step(label: "timeline_time", tool: "timeline", arguments: ["time": "2026-11-20T10:11:00Z", "before": 1, "after": 0]),
            Step(label: "get_observations", tool: "get_observations", arguments: ["ids": ["#2", "session:s1", "L1"]]),
            Step(
                label: "save_memory", tool: "save_memory",
                arguments: [
                    "text": "The user prefers small commits", "tags": ["preference"],
                    "metadata": ["origin": "integration"],
                ]),
            Step(label: "search_memories", tool: "search_memories", arguments: ["query": "small commits"]),
            Step(label: "recent_context", tool: "recent_context", arguments: [:]),
            Step(label: "function_map", tool: "function_map", arguments: ["path": "app/auth.py"]),
            Step(label: "function_map_live", tool: "function_map", arguments: ["path": "app/util.py"]),
            Step(label: "call_graph", tool: "call_graph", arguments: ["path": "app/util.py"]),
            Step(label: "callers", tool: "callers", arguments: ["name": "AuthService.authenticate"]),
            Step(label: "learnings_list", tool: "learnings", arguments: ["action": "list"]),
            Step(
                label: "learnings_add", tool: "learnings",
                arguments: [
                    "action": "add", "category": "gotcha",
                    "content": "Run migrations before the integration tests",
                ]),
            Step(label: "learnings_confirm", tool: "learnings", arguments: ["action": "confirm", "id": "L1"]),
            Step(label: "unknown_tool", tool: "does_not_exist", arguments: [:]),
            Step(label: "bad_arguments", tool: "search", arguments: ["query": 42]),
            Step(label: "missing_argument", tool: "callers", arguments: [:]),
            Step(label: "outside_dotdot", tool: "function_map", arguments: ["path": "../outside/secret.py"]),
            Step(label: "outside_absolute", tool: "call_graph", arguments: ["path": .string(env.outside.path + "/secret.py")]),
            Step(label: "outside_symlink", tool: "function_map", arguments: ["path": "escape/secret.py"]),
            Step(label: "after_errors", tool: "get_observations", arguments: ["ids": ["#1"]]),
        ]
        var childEnv = ProcessInfo.processInfo.environment
        childEnv.removeValue(forKey: "ENGRAM_DISABLED")
        for (k, v) in env.env { childEnv[k] = v }
        let plan: JSONValue = .object([
            "command": .string(EngramProcess.binary.path),
            "args": .array(["mcp", "--project", .string(env.project.path)]),
            "cwd": .string(env.project.path),
            "env": .object(childEnv.mapValues(JSONValue.string)),
            "calls": try JSONValue.parse(JSONEncoder().encode(steps)),
            "latency": .object(["tool": "get_observations", "arguments": .object(["ids": .array(["#1"])]), "iterations": 200, "warmup": 20]),
        ])
        let planURL = env.root.appendingPathComponent("plan.json")
        try Data(plan.serialized().utf8).write(to: planURL)

        let run = try EngramProcess.run(
            ["python3", Self.script.path, planURL.path], env: [:], cwd: env.root,
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        if run.status == 3 {
            Issue.record("The MCP Python SDK is missing: run `python3 -m pip install mcp` (CI installs it). \(run.stderr)")
            return
        }
        try #require(run.status == 0, "client failed: \(run.stderr.suffix(3000))")
        let report = try JSONValue.parse(run.stdout)

        #expect(report["server"]?["name"] == "engram")
        #expect(report["server"]?["has_tools"] == .bool(true))
        let tools = report["tools"]?.arrayValue ?? []
        #expect(
            Set(tools.compactMap { $0["name"]?.stringValue }) == [
                "search", "timeline", "get_observations", "save_memory", "search_memories",
                "recent_context", "function_map", "call_graph", "callers", "learnings",
                "save_function", "search_functions", "get_function", "run_function",
                "test_function", "function_versions", "rollback_function",
            ])
        #expect(tools.allSatisfy { ($0["description"]?.stringValue?.count ?? 0) > 80 && $0["input_schema"]?["type"] == "object" })

        let calls = report["calls"]?.objectValue ?? [:]
        func ok(_ label: String) -> JSONValue? {
            let c = calls[label]
            #expect(c?["is_error"] == .bool(false), "\(label): \(c.map { $0.serialized() } ?? "no answer")")
            #expect(c?["text"]?.stringValue?.isEmpty == false, "\(label) has no text content")
            return c?["structured"]
        }
        let ids = ok("search")?["results"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(Set(ids) == ["#1", "#2", "#3"])
        #expect(ok("search_since")?["count"] == .number(0))
        #expect(ok("timeline")?["entries"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["#1", "#2", "#3"])
        #expect(ok("timeline_time")?["entries"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["#2"])
        #expect(ok("get_observations")?["records"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } == ["observation", "session", "learning"])
        #expect(ok("save_memory")?["id"] == "M1")
        #expect(ok("search_memories")?["memories"]?[0]?["id"] == "M1")
        #expect(ok("recent_context")?["project"]?.stringValue == env.projectKey)
        #expect(ok("function_map")?["source"] == "stored")
        #expect(ok("function_map_live")?["symbols"]?.arrayValue?.count == 2)
        #expect(ok("call_graph")?["edges"]?[0]?["calleeName"] == "twice")
        #expect(ok("callers")?["callers"]?[0]?["callerName"] == "login")
        #expect(ok("learnings_list")?["count"] == .number(1))
        #expect(ok("learnings_add")?["outcome"] == "added")
        #expect(ok("learnings_confirm")?["outcome"] == "confirmed")
        #expect(ok("after_errors")?["records"]?[0]?["id"] == "#1")

        for label in ["unknown_tool", "bad_arguments", "missing_argument"] {
            #expect(calls[label]?["protocol_error"]?["code"] == .number(-32602), "\(label): \(calls[label].map { $0.serialized() } ?? "")")
        }
        for label in ["outside_dotdot", "outside_absolute", "outside_symlink"] {
            #expect(calls[label]?["is_error"] == .bool(true), "\(label)")
            #expect(calls[label]?["text"]?.stringValue?.contains("outside the project") == true, "\(label)")
        }

        let latency = report["latency"]
        #expect(latency?["n"] == .number(200))
        // Reported for the benchmark record; not asserted (timing belongs in benchmarks).
        print("mcp round trip:", latency?.serialized() ?? "none")
    }
}
