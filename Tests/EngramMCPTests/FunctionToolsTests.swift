import EngramCore
import EngramMCP
import Foundation
import MCP
import Testing

/// The function library through MCP: the same library and sandbox as the CLI, reached by tool calls.
@Suite(.serialized) struct FunctionToolsTests {
    func structured(_ r: CallTool.Result) -> [String: Value] { r.structuredContent?.objectValue ?? [:] }

    @Test func saveSearchRunTestVersionsAndRollBack() async throws {
        let env = try MCPTestEnv()
        let t = EngramTools(engram: try env.seed(), projectRoot: env.projectKey)
        let tests: Value = [["args": [3], "expect": 9], ["args": ["x"], "expect": ["raises": "TypeError"]]]
        let saved = try await t.call(
            "save_function",
            arguments: [
                "source": "def square(n):\n    \"\"\"The square of n.\"\"\"\n    return n * n\n", "summary": "squares", "tests": tests,
            ])
        #expect(saved.isError == false)
        let first = structured(saved)["functions"]?.arrayValue?.first?.objectValue
        #expect(first?["status"] == "saved" && first?["version"] == 1)
        #expect(first?["tests"]?.objectValue?["passed"] == 2)

        let found = try await t.call("search_functions", arguments: ["query": "square"])
        #expect(structured(found)["results"]?.arrayValue?.first?.objectValue?["name"] == "square")

        let run = try await t.call("run_function", arguments: ["name": "square", "args": [12]])
        #expect(structured(run)["status"] == "ok" && structured(run)["result"] == "144", "\(structured(run))")

        let report = try await t.call("test_function", arguments: ["name": "square"])
        #expect(structured(report)["passed"] == 2 && structured(report)["failed"] == 0)

        _ = try await t.call("save_function", arguments: ["source": "def square(n):\n    return n ** 2\n"])
        let versions = try await t.call("function_versions", arguments: ["name": "square"])
        #expect(structured(versions)["versions"]?.arrayValue?.count == 2)
        let back = try await t.call("rollback_function", arguments: ["name": "square", "version": 1])
        #expect(structured(back)["version"] == 3)
        let got = try await t.call("get_function", arguments: ["name": "square@3"])
        #expect(structured(got)["restoredFrom"] == 1)

        let missing = try await t.call("get_function", arguments: ["name": "nothing"])
        #expect(missing.isError == true)
        await #expect(throws: MCPError.self) { _ = try await t.call("run_function", arguments: ["name": "square", "bogus": 1]) }
    }
}
