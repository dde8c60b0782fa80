import Foundation
import Testing

@Suite struct CodeCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/python")

    @Test func mapJSONHasEveryFieldForEveryDefinition() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let r = try cli.run(["code", "map", Self.fixtures.appendingPathComponent("services.py").path, "--json"])
        #expect(r.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(!items.isEmpty)
        for item in items {
            for key in [
                "file", "qualified_name", "kind", "parent_class", "signature", "decorators", "docstring", "line_start", "line_end", "body_hash",
            ] {
                #expect(item.keys.contains(key), "missing \(key)")
            }
        }
    }

    @Test func callsJSONCarriesResolution() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let r = try cli.run(["code", "calls", Self.fixtures.appendingPathComponent("pkg").path, "--json"])
        #expect(r.status == 0)
        let edges = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(!edges.isEmpty)
        let kinds = Set(edges.compactMap { $0["resolution"] as? String })
        #expect(kinds.isSubset(of: ["direct", "self_method", "import", "value", "unresolved"]))
        #expect(edges.allSatisfy { $0.keys.contains("callee_resolved") && $0.keys.contains("line_number") })
        // The standard library shows only when asked for.
        let targets = Set(edges.compactMap { $0["callee_resolved"] as? String })
        #expect(!targets.contains("os.path.join"))
        let ext = try cli.run(["code", "calls", Self.fixtures.appendingPathComponent("pkg").path, "--external", "--json"])
        #expect(ext.status == 0)
        let all = try #require(try JSONSerialization.jsonObject(with: Data(ext.stdout.utf8)) as? [[String: Any]])
        #expect(all.contains { $0["callee_resolved"] as? String == "os.path.join" })
    }

    @Test func graphIsWellFormedMermaidAndDot() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let pkg = Self.fixtures.appendingPathComponent("pkg").path
        let m = try cli.run(["code", "graph", pkg])
        #expect(m.status == 0)
        let lines = m.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "graph TD")
        #expect(
            lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("subgraph") }.count
                == lines.filter { $0.trimmingCharacters(in: .whitespaces) == "end" }.count)
        let declared = Set(
            lines.compactMap { l -> String? in
                let t = l.trimmingCharacters(in: .whitespaces)
                guard let b = t.firstIndex(of: "["), !t.hasPrefix("subgraph") else { return nil }
                return String(t[..<b])
            })
        for l in lines where l.contains("-->") {
            let ends = l.components(separatedBy: "-->").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(declared.contains(ends[0]) && declared.contains(ends[1]), "edge to an undeclared node: \(l)")
        }
        let d = try cli.run(["code", "graph", pkg, "--dot"])
        #expect(d.stdout.hasPrefix("digraph"))
        #expect(try cli.run(["code", "graph", pkg, "--dot", "--mermaid"]).status == 2)
    }

    @Test func badPathsAndUnparseableFiles() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let missing = try cli.run(["code", "map", "/nonexistent/engram-test-path"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("No such file"))
        let broken = try cli.run(["code", "map", Self.fixtures.appendingPathComponent("syntax_error.py").path, "--json"])
        #expect(broken.status == 0)
        let items = try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [Any]
        #expect(items?.isEmpty == true)
        #expect(broken.stderr.contains("skipped"))
    }

    @Test func callersAnswersFromTheGraphStoredDuringProcessing() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let source = "def helper(x):\n    return x\n\ndef main():\n    return helper(1)\n\nclass Job:\n    def run(self):\n        return helper(2)\n"
        let path = cli.project.appendingPathComponent("app.py").path
        try Data(source.utf8).write(to: URL(fileURLWithPath: path))
        try cli.run(
            ["hook", "post-tool-use"],
            stdin: cli.hookPayload(
                "PostToolUse", session: "s",
                [
                    "tool_name": "Write", "tool_input": ["file_path": path, "content": source],
                    "tool_response": ["type": "create", "filePath": path],
                ]))
        #expect(try cli.run(["process"]).status == 0)
        let r = try cli.run(["code", "callers", "helper", "--json"])
        #expect(r.status == 0)
        let edges = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(Set(edges.compactMap { $0["caller_name"] as? String }) == ["main", "Job.run"])
        let none = try cli.run(["code", "callers", "nobody_calls_this"])
        #expect(none.status == 0 && none.stdout.contains("No stored callers"))
    }
}
