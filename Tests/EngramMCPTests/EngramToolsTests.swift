import EngramCore
import EngramMCP
import Foundation
import MCP
import Testing

@Suite struct EngramToolsTests {
    func tools(_ env: MCPTestEnv) throws -> EngramTools {
        EngramTools(engram: try env.seed(), projectRoot: env.projectKey)
    }

    func structured(_ r: CallTool.Result) -> [String: Value] { r.structuredContent?.objectValue ?? [:] }

    @Test func catalogSchemasAreObjectsWithDescriptions() {
        #expect(
            ToolCatalog.names == [
                "search", "timeline", "get_observations", "save_memory", "search_memories", "recent_context",
                "function_map", "call_graph", "callers", "learnings", "save_function", "search_functions",
                "get_function", "run_function", "test_function", "function_versions", "rollback_function",
            ])
        for tool in ToolCatalog.tools {
            #expect(tool.inputSchema.objectValue?["type"] == "object", "\(tool.name)")
            #expect(tool.inputSchema.objectValue?["additionalProperties"] == false, "\(tool.name)")
            #expect((tool.description ?? "").count > 80, "\(tool.name) needs a description that says when to use it")
        }
    }

    @Test func searchFindsThisProjectOnlyAndFiltersByFile() async throws {
        let env = try MCPTestEnv()
        let t = try tools(env)
        let r = try await t.call("search", arguments: ["query": "token refresh", "kind": "observation"])
        #expect(r.isError == false)
        let ids = structured(r)["results"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } ?? []
        #expect(Set(ids) == ["#1", "#2", "#3"])
        #expect(r.content.count == 1)
        let byFile = try await t.call("search", arguments: ["query": "token refresh", "files": ["tests/test_auth.py"]])
        let fileIDs = structured(byFile)["results"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } ?? []
        #expect(fileIDs == ["#3"])
    }

    @Test func timelineCentresOnTheObservation() async throws {
        let env = try MCPTestEnv()
        let t = try tools(env)
        let r = try await t.call("timeline", arguments: ["id": "#2", "before": 2, "after": 1])
        let entries = structured(r)["entries"]?.arrayValue?.compactMap(\.objectValue) ?? []
        #expect(entries.map { $0["id"]?.stringValue ?? "" } == ["session:s1", "#1", "#2", "#3"])
        #expect(entries.map { $0["kind"]?.stringValue ?? "" } == ["prompt", "observation", "observation", "observation"])
        #expect(entries[2]["isAnchor"] == true)
        // Another project's observation is not shown through this server.
        let other = try await t.call("timeline", arguments: ["id": "#5"])
        #expect(other.isError == true)
    }

    @Test func getObservationsHidesOtherProjects() async throws {
        let env = try MCPTestEnv()
        let r = try await tools(env).call("get_observations", arguments: ["ids": ["#2", "#5", "session:s1", "#999"]])
        let kinds = structured(r)["records"]?.arrayValue?.compactMap { $0.objectValue?["kind"]?.stringValue } ?? []
        #expect(kinds == ["observation", "missing", "session", "missing"])
        #expect(r.content.first.map { if case .text(let s, _, _) = $0 { s.contains("Fixed token refresh race") } else { false } } == true)
    }

    @Test func memoriesRoundTripWithTagsAndRedaction() async throws {
        let env = try MCPTestEnv()
        let t = try tools(env)
        let key = "sk-ant-" + String(repeating: "a1B2", count: 10)
        let saved = try await t.call(
            "save_memory",
            arguments: [
                "text": "Deploys go through the staging gate first; key \(key)",
                "tags": ["deploy", "process"], "metadata": ["source": "user", "priority": 2],
            ])
        #expect(saved.isError == false)
        let id = structured(saved)["id"]?.stringValue
        #expect(id == "M1")
        #expect(structured(saved)["content"]?.stringValue?.contains(key) == false)
        let found = try await t.call("search_memories", arguments: ["query": "staging deploys", "tags": ["deploy"]])
        let mems = structured(found)["memories"]?.arrayValue ?? []
        #expect(mems.count == 1)
        #expect(mems.first?.objectValue?["metadata"]?.objectValue?["priority"] == 2)
        let none = try await t.call("search_memories", arguments: ["query": "staging", "tags": ["unrelated"]])
        #expect(structured(none)["count"] == 0)
        let fetched = try await t.call("get_observations", arguments: ["ids": ["M1"]])
        #expect(structured(fetched)["records"]?.arrayValue?.first?.objectValue?["id"] == "M1")
    }

    @Test func codeToolsReadStoredIntelligence() async throws {
        let env = try MCPTestEnv()
        let t = try tools(env)
        let map = try await t.call("function_map", arguments: ["path": "app/auth.py"])
        #expect(structured(map)["source"] == "stored")
        let symbols = structured(map)["symbols"]?.arrayValue ?? []
        #expect(symbols.count == 1)
        #expect(symbols.first?.objectValue?["changeType"] == "modified")
        let graph = try await t.call("call_graph", arguments: ["path": "app/auth.py"])
        #expect(structured(graph)["count"] == 1)
        let callers = try await t.call("callers", arguments: ["name": "authenticate"])
        let sites = structured(callers)["callers"]?.arrayValue?.compactMap { $0.objectValue?["callerName"]?.stringValue } ?? []
        #expect(sites == ["login"])
    }

    @Test func codeToolsAnalyseAFileNeverStored() async throws {
        let env = try MCPTestEnv()
        try env.write(
            "app/util.py",
            """
            def helper(x):
                return twice(x)


            def twice(y):
                return y * 2
            """)
        let t = try tools(env)
        let map = try await t.call("function_map", arguments: ["path": "app/util.py"])
        #expect(structured(map)["source"] == "live")
        let names = structured(map)["symbols"]?.arrayValue?.compactMap { $0.objectValue?["qualifiedName"]?.stringValue } ?? []
        #expect(names == ["helper", "twice"])
        let graph = try await t.call("call_graph", arguments: ["path": "app/util.py", "function": "helper"])
        let callees = structured(graph)["edges"]?.arrayValue?.compactMap { $0.objectValue?["calleeName"]?.stringValue } ?? []
        #expect(callees == ["twice"])
    }

    @Test func learningsListAddConfirm() async throws {
        let env = try MCPTestEnv()
        let t = try tools(env)
        let list = try await t.call("learnings", arguments: ["action": "list"])
        #expect(structured(list)["count"] == 1)
        let added = try await t.call(
            "learnings", arguments: ["action": "add", "category": "convention", "content": "Use snake_case for module names"])
        #expect(structured(added)["outcome"] == "added")
        let id = structured(added)["id"]?.stringValue ?? ""
        let confirmed = try await t.call("learnings", arguments: ["action": "confirm", "id": .string(id)])
        #expect(confirmed.isError == false)
        // Learning L2 belongs to another project: not confirmable from here.
        let foreign = try await t.call("learnings", arguments: ["action": "confirm", "id": "L2"])
        #expect(foreign.isError == true)
    }

    @Test func recentContextBriefs() async throws {
        let env = try MCPTestEnv()
        let r = try await tools(env).call("recent_context", arguments: [:])
        #expect(r.isError == false)
        #expect(structured(r)["project"]?.stringValue == env.projectKey)
    }

    @Test(
        arguments: [
            ("nope", ["query": "x"]),
            ("search", [:]),
            ("search", ["query": 3]),
            ("search", ["query": "x", "limit": 0]),
            ("search", ["query": "x", "bogus": true]),
            ("timeline", [:]),
            ("timeline", ["id": "#1", "time": "2h"]),
            ("get_observations", ["ids": []]),
            ("learnings", ["action": "explode"]),
            ("save_memory", ["text": "   "]),
        ] as [(String, [String: Value])])
    func badCallsAreProtocolErrors(_ tool: String, _ args: [String: Value]) async throws {
        let env = try MCPTestEnv()
        await #expect(throws: MCPError.self) { _ = try await tools(env).call(tool, arguments: args) }
    }

    @Test(arguments: [
        ("function_map", "path", "../outside/secret.py"),
        ("call_graph", "path", "/etc/passwd"),
        ("search", "project", "/"),
        ("save_memory", "project", "../outside"),
    ])
    func pathsOutsideTheProjectAreToolErrors(_ tool: String, _ key: String, _ path: String) async throws {
        let env = try MCPTestEnv()
        var args: [String: Value] = [key: .string(path)]
        if tool == "search" { args["query"] = "token" }
        if tool == "save_memory" { args["text"] = "remember this" }
        let r = try await tools(env).call(tool, arguments: args)
        #expect(r.isError == true)
        #expect(structured(r)["error"]?.stringValue?.contains("outside the project") == true)
    }
}
