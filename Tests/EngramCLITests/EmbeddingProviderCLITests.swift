import EngramTestSupport
import Foundation
import Testing

/// `engram reindex` and `engram search` with `embeddings.provider = openai-compatible`, through the real binary
/// and a local server speaking the OpenAI embeddings wire format.
@Suite struct EmbeddingProviderCLITests {
    func seeded(_ provider: [String: String]) throws -> CLIRunner {
        var cli = try CLIRunner()
        for (k, v) in provider { cli.env[k] = v }
        for (i, (command, out)) in [
            ("pytest tests/test_refresh_token.py -k expired", "1 failed"),
            ("psql -c 'select invoice totals from billing'", "42 rows"),
        ].enumerated() {
            let r = try cli.run(
                ["hook", "post-tool-use"],
                stdin: cli.hookPayload(
                    "PostToolUse", session: "s1",
                    [
                        "tool_name": "Bash", "tool_use_id": "t\(i)", "tool_input": ["command": command],
                        "tool_response": ["stdout": out, "stderr": ""],
                    ]))
            #expect(r.status == 0)
        }
        #expect(try cli.run(["process"]).status == 0)
        return cli
    }

    func ids(_ r: CLIRunner.Result) throws -> [String] {
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "\(r.stdout)")
        return hits.compactMap { $0["id"] as? String }
    }

    @Test func reindexThenSemanticSearchThroughTheServer() throws {
        let server = try FakeEmbeddingServer()
        let cli = try seeded(server.env()); defer { cli.cleanup() }
        let reindex = try cli.run(["reindex", "--json"])
        #expect(reindex.status == 0, "\(reindex.stderr)")
        #expect(reindex.stdout.contains("\"model\" : \"openai-compatible:bow\""))
        #expect(reindex.stdout.contains("\"embedded\" : 2"))
        let found = try cli.run(["search", "billing", "invoice", "--mode", "semantic", "--json"])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(try ids(found).first == "#2")
        #expect(found.stderr.isEmpty)
    }

    @Test func aServerThatIsDownMeansKeywordsAndANotice() throws {
        let cli = try seeded([
            "ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible", "ENGRAM_EMBEDDINGS_MODEL": "bow",
            "ENGRAM_EMBEDDINGS_BASE_URL": FakeEmbeddingServer.downURL,
        ]); defer { cli.cleanup() }
        let search = try cli.run(["search", "invoice", "--mode", "semantic", "--json"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(try ids(search) == ["#2"])
        #expect(search.stderr.contains("unreachable") && search.stderr.contains("keyword search only"), "\(search.stderr)")
        let reindex = try cli.run(["reindex"])
        #expect(reindex.status == 1)
        #expect(reindex.stderr.contains("2 still pending"), "\(reindex.stderr)")
        // Nothing was lost: both observations are there and still searchable by keyword.
        #expect(try ids(try cli.run(["search", "refresh", "--mode", "keyword", "--json"])) == ["#1"])
    }

    @Test func aBadAnswerIsAClearError() throws {
        let server = try FakeEmbeddingServer()
        let cli = try seeded(server.env(model: "bad-json")); defer { cli.cleanup() }
        let search = try cli.run(["search", "invoice", "--mode", "semantic"])
        #expect(search.status == 1)
        #expect(search.stderr.contains("The embeddings provider sent a response engram cannot read"), "\(search.stderr)")
        #expect(!search.stderr.contains("Fatal error"))
        let reindex = try cli.run(["reindex"])
        #expect(reindex.status == 1 && reindex.stderr.contains("cannot read"), "\(reindex.stderr)")
    }
}
