import EngramCore
import EngramMCP
import Foundation
import GRDB
import MCP
import Testing

/// What the real client revealed about install and the MCP tools.
@Suite struct RealClientMCPTests {
    @Test func reinstallingUpgradesAnOldInstallWithTheFailureHook() throws {
        // An install from before PostToolUseFailure existed: every other event registered.
        var old = try ClaudeCodeHooks.install(into: .object([:]), binary: "/opt/engram/bin/engram", path: "settings.json")
        var hooks = try #require(old["hooks"]?.objectValue)
        hooks.removeValue(forKey: "PostToolUseFailure")
        old = .object(["hooks": .object(hooks)])
        #expect(ClaudeCodeHooks.installedEvents(in: old)["PostToolUseFailure"] == nil)
        let upgraded = try ClaudeCodeHooks.install(into: old, binary: "/opt/engram/bin/engram", path: "settings.json")
        #expect(ClaudeCodeHooks.installedEvents(in: upgraded)["PostToolUseFailure"] == ["/opt/engram/bin/engram hook post-tool-use-failure"])
        #expect(upgraded["hooks"]?["PostToolUseFailure"]?[0]?["matcher"] == "*")
        #expect(ClaudeCodeHooks.installedEvents(in: ClaudeCodeHooks.uninstall(from: upgraded)).isEmpty)
    }

    @Test func searchAnswersTheCompactIndexItPromisesWithRelativePaths() async throws {
        let env = try MCPTestEnv()
        let e = try env.seed()
        // A path stored absolute (captured outside the project's cwd) is still shown relative to the project.
        try await e.store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, files_touched)
                    VALUES ('s1', ?, '2026-11-22T10:00:00.000Z', 'PostToolUse', 'Edit', 'Tuned the refresh backoff', 'Summary', ?)
                    """, arguments: [env.projectKey, JSONList.encode([env.projectKey + "/app/backoff.py"])])
        }
        let t = EngramTools(engram: e, projectRoot: env.projectKey)
        let r = try await t.call("search", arguments: ["query": "refresh"])
        let list = r.structuredContent?.objectValue?["results"]?.arrayValue ?? []
        let results = list.compactMap { $0.objectValue }
        #expect(!results.isEmpty)
        for hit in results { #expect(Set(hit.keys) == ["id", "time", "title", "files"], "\(hit.keys.sorted())") }
        let backoff = try #require(results.first { $0["title"]?.stringValue == "Tuned the refresh backoff" })
        #expect(backoff["files"] == ["app/backoff.py"])
        let text = r.content.compactMap { if case .text(let s, _, _) = $0 { s } else { nil } }.joined()
        #expect(!text.contains(env.root.path), "no absolute path of this machine in the answer")
        #expect(!"\(r.structuredContent ?? .null)".contains(env.root.path))
    }

    @Test func searchCanIncludeSavedMemories() async throws {
        let env = try MCPTestEnv()
        let t = EngramTools(engram: try env.seed(), projectRoot: env.projectKey)
        let saved = try await t.call("save_memory", arguments: ["text": "Token refresh retries use a jittered backoff"])
        #expect(saved.isError == false)
        func ids(_ args: [String: Value]) async throws -> [String] {
            let r = try await t.call("search", arguments: args)
            #expect(r.isError == false)
            return r.structuredContent?.objectValue?["results"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } ?? []
        }
        #expect(try await !ids(["query": "token refresh"]).contains("M1"))
        let both = try await ids(["query": "token refresh", "include_memories": true])
        #expect(both.contains("M1"))
        #expect(both.contains { $0.hasPrefix("#") })
        #expect(try await ids(["query": "token refresh", "kind": "memory"]) == ["M1"])
        await #expect(throws: MCPError.self) { _ = try await t.call("search", arguments: ["query": "x", "include_memories": "yes"]) }
    }
}
