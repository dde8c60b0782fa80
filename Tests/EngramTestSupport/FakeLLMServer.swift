import EngramModel
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Scripts/ai/fake_llm_server.py: Anthropic's and OpenAI's wire formats answering scripted scenarios (a folder of
/// them), with every request recorded per run. One class for every test target that needs a model.
package final class FakeLLMServer: Sendable {
    package struct RecordedRequest: Decodable, Sendable {
        package var run: String
        package var scenario: String
        package var method: String
        package var path: String
        package var headers: [String: String]
        package var body: JSONValue?
    }

    package let server: ScriptServer

    /// `scenarios`: a folder under Tests/Fixtures (`ai/scenarios`, `worker/scenarios`).
    package init(scenarios: String) throws {
        server = try ScriptServer(
            script: "ai/fake_llm_server.py",
            arguments: ["--scenarios", ScriptServer.fixtures.appendingPathComponent(scenarios).path, "--max-seconds", "300"])
    }

    package var port: Int { server.port }

    /// Base URL under which `scenario` is served for `run`; providers append /v1/...
    package func baseURL(run: String, scenario: String) -> URL {
        URL(string: "\(server.baseURL)/\(run)/\(scenario)")!
    }

    /// Every request the server received for `run`.
    package func requests(run: String) async throws -> [RecordedRequest] {
        let url = URL(string: "\(server.baseURL)/_requests?run=\(run)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        return try JSONDecoder().decode([RecordedRequest].self, from: data)
    }

    package func stop() { server.stop() }
}

/// A test's own fake model: the worker scenarios (Tests/Fixtures/worker/scenarios) under a run of its own.
package final class FakeLLM: Sendable {
    package let server: FakeLLMServer
    package let run = UUID().uuidString.lowercased()

    package init() throws { server = try FakeLLMServer(scenarios: "worker/scenarios") }

    package var port: Int { server.port }

    package func baseURL(_ scenario: String) -> String { server.baseURL(run: run, scenario: scenario).absoluteString }

    /// Environment that points engram's worker at `scenario` with a fake key built at run time.
    package func env(_ scenario: String) -> [String: String] {
        [
            "ENGRAM_LLM_PROVIDER": "anthropic", "ENGRAM_LLM_BASE_URL": baseURL(scenario),
            "ANTHROPIC_API_KEY": ["sk", "ant", "test", UUID().uuidString.prefix(8).lowercased()].joined(separator: "-"),
        ]
    }

    package func requests() async throws -> [FakeLLMServer.RecordedRequest] { try await server.requests(run: run) }

    package func stop() { server.stop() }
}
