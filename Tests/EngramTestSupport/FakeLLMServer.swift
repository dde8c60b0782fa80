import EngramModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Scripts/ai/fake_llm_server.py: Anthropic's and OpenAI's wire formats answering scripted scenarios (a folder of
/// them), with every request recorded per run. One class for every test target that needs a model.
public final class FakeLLMServer: Sendable {
    public struct RecordedRequest: Decodable, Sendable {
        public var run: String
        public var scenario: String
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: JSONValue?
    }

    public let server: ScriptServer

    /// `scenarios`: a folder under Tests/Fixtures (`ai/scenarios`, `worker/scenarios`).
    public init(scenarios: String) throws {
        server = try ScriptServer(script: "ai/fake_llm_server.py",
                                  arguments: ["--scenarios", ScriptServer.fixtures.appendingPathComponent(scenarios).path, "--max-seconds", "300"])
    }

    public var port: Int { server.port }

    /// Base URL under which `scenario` is served for `run`; providers append /v1/...
    public func baseURL(run: String, scenario: String) -> URL {
        URL(string: "\(server.baseURL)/\(run)/\(scenario)")!
    }

    /// Every request the server received for `run`.
    public func requests(run: String) async throws -> [RecordedRequest] {
        let url = URL(string: "\(server.baseURL)/_requests?run=\(run)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        return try JSONDecoder().decode([RecordedRequest].self, from: data)
    }

    public func stop() { server.stop() }
}

/// A test's own fake model: the worker scenarios (Tests/Fixtures/worker/scenarios) under a run of its own.
public final class FakeLLM: Sendable {
    public let server: FakeLLMServer
    public let run = UUID().uuidString.lowercased()

    public init() throws { server = try FakeLLMServer(scenarios: "worker/scenarios") }

    public var port: Int { server.port }

    public func baseURL(_ scenario: String) -> String { server.baseURL(run: run, scenario: scenario).absoluteString }

    /// Environment that points engram's worker at `scenario` with a fake key built at run time.
    public func env(_ scenario: String) -> [String: String] {
        ["ENGRAM_LLM_PROVIDER": "anthropic", "ENGRAM_LLM_BASE_URL": baseURL(scenario),
         "ANTHROPIC_API_KEY": ["sk", "ant", "test", UUID().uuidString.prefix(8).lowercased()].joined(separator: "-")]
    }

    public func requests() async throws -> [FakeLLMServer.RecordedRequest] { try await server.requests(run: run) }

    public func stop() { server.stop() }
}
