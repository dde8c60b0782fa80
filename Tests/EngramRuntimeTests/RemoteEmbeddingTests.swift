import EngramCore
import EngramEmbeddings
import EngramTestSupport
import Foundation
import GRDB
import Testing

@testable import EngramRuntime

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `embeddings.provider = openai-compatible`: reindex, record embedding and query embedding through a local
/// server speaking the OpenAI embeddings wire format; a server that is down or answers badly.
@Suite struct RemoteEmbeddingTests {
    static let commands = [
        "pytest tests/test_refresh_token.py -k expired", "psql -c 'select invoice totals from billing'",
        "docker compose up redis cache",
    ]

    /// Three processed observations (no vectors yet) in a data dir pointed at `provider`.
    func seeded(_ provider: [String: String]) async throws -> (RuntimeEnv, Engram) {
        let t = try RuntimeEnv(provider)
        let e = try EngramRuntime.open(env: t.env)
        try t.enqueue(e, session: "s1", commands: Self.commands)
        _ = try await QueueProcessor(e).drain()
        #expect(try t.scalar(e, "SELECT count(*) FROM observations") == 3)
        return (t, e)
    }

    func engine(_ e: Engram, _ env: [String: String] = [:]) throws -> any EmbeddingEngine {
        try #require(EmbeddingModel.loadEncoder(e, env: env))
    }

    @Test func availabilityNamesWhatIsMissing() throws {
        func availability(_ env: [String: String]) throws -> EmbeddingModel.Availability {
            EmbeddingModel.availability(try RuntimeEnv(env).engram())
        }
        let remote = try availability([
            "ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible", "ENGRAM_EMBEDDINGS_BASE_URL": "http://127.0.0.1:11434",
            "ENGRAM_EMBEDDINGS_MODEL": "nomic-embed-text",
        ])
        #expect(remote == .remote(model: "nomic-embed-text", baseURL: URL(string: "http://127.0.0.1:11434")!))
        #expect(remote.keywordOnlyReason == nil)
        let noURL = try availability(["ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible"])
        #expect(noURL.keywordOnlyReason?.contains("embeddings.base_url") == true)
        let badURL = try availability(["ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible", "ENGRAM_EMBEDDINGS_BASE_URL": "localhost:11434"])
        #expect(badURL.keywordOnlyReason?.contains("not an http(s) URL") == true)
        let unknown = try availability(["ENGRAM_EMBEDDINGS_PROVIDER": "cohere"])
        #expect(unknown.keywordOnlyReason?.contains("unknown") == true)
        #expect(try availability(["ENGRAM_EMBEDDINGS_PROVIDER": "none"]) == .disabled)
    }

    @Test func theModelIDNamesProviderModelAndAskedLength() throws {
        let base = [
            "ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible", "ENGRAM_EMBEDDINGS_BASE_URL": "http://127.0.0.1:9",
            "ENGRAM_EMBEDDINGS_MODEL": "text-embedding-3-small",
        ]
        #expect(try engine(try RuntimeEnv(base).engram()).modelID == "openai-compatible:text-embedding-3-small")
        var short = base
        short["ENGRAM_EMBEDDINGS_DIMENSIONS"] = "256"
        #expect(try engine(try RuntimeEnv(short).engram()).modelID == "openai-compatible:text-embedding-3-small@256d")
    }

    @Test func reindexThenSemanticSearchGoThroughTheEndpoint() async throws {
        let server = try FakeEmbeddingServer()
        let (t, e) = try await seeded(server.env())
        let encoder = try engine(e)
        #expect(encoder.modelID == "openai-compatible:bow")
        let report = try EmbeddingReindexer(engram: e, encoder: encoder, batchSize: 2).run()
        #expect(report.embedded == 3 && report.failed == 0 && report.remaining == 0)
        #expect(try t.text(e, "SELECT DISTINCT model FROM embeddings") == "openai-compatible:bow")
        #expect(try t.scalar(e, "SELECT DISTINCT dims FROM embeddings") == 64)

        // No local model is installed: only the server's vectors can rank these by shared words.
        let service = EngramRuntime.engine(e).searchService()
        for (query, expected) in [("expired refresh token", "#1"), ("billing invoice totals", "#2"), ("redis cache", "#3")] {
            let hits = try service.search(.init(text: query, project: t.project.path, mode: .semantic))
            #expect(hits.first?.id == expected, "\(query): \(hits.map(\.id))")
            #expect(hits.first?.matched == ["semantic"])
        }

        // A new record embedded as it is stored (the worker opens with embeddings), then found by meaning.
        let worker = try EngramRuntime.open(env: t.env, embeddings: true)
        try t.enqueue(worker, session: "s2", commands: ["make deploy kubernetes staging"])
        _ = try await QueueProcessor(worker).drain()
        #expect(try t.scalar(e, "SELECT count(*) FROM embeddings WHERE status = 'done'") == 4)
        let fresh = try EngramRuntime.engine(e).searchService().search(.init(text: "kubernetes deploy", project: t.project.path, mode: .semantic))
        #expect(fresh.first?.id == "#4")
    }

    @Test func changingTheRemoteModelReembedsEverything() async throws {
        let server = try FakeEmbeddingServer()
        let (t, e) = try await seeded(server.env())
        _ = try EmbeddingReindexer(engram: e, encoder: try engine(e)).run()
        let e2 = try EngramRuntime.open(env: t.env.merging(server.env(model: "bow-v2")) { $1 })
        let reindexer = EmbeddingReindexer(engram: e2, encoder: try engine(e2))
        #expect(try reindexer.pendingCount(kinds: [.observation], force: false) == 3)
        #expect(try reindexer.run().embedded == 3)
        #expect(try t.text(e2, "SELECT group_concat(DISTINCT model) FROM embeddings") == "openai-compatible:bow-v2")
    }

    @Test func theAPIKeyComesFromTheNamedVariable() async throws {
        let key = ["test", "embed", UUID().uuidString.prefix(8).lowercased()].joined(separator: "-")
        let server = try FakeEmbeddingServer(key: key)
        var provider = server.env()
        provider["ENGRAM_EMBEDDINGS_API_KEY_ENV"] = "ENGRAM_TEST_EMBEDDINGS_KEY"
        let (_, e) = try await seeded(provider)
        let withoutKey = EmbeddingReindexer(engram: e, encoder: try engine(e, [:]))
        let refused = #expect(throws: EmbeddingReindexer.Interrupted.self) { try withoutKey.run() }
        #expect(refused?.localizedDescription.contains("HTTP 401") == true)
        #expect(refused?.report.remaining == 3)
        let withKey = EmbeddingReindexer(engram: e, encoder: try engine(e, ["ENGRAM_TEST_EMBEDDINGS_KEY": key]))
        #expect(try withKey.run().embedded == 3)
    }

    @Test func aServerThatIsDownLosesNothingAndSearchFallsBackToKeywords() async throws {
        let provider = [
            "ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible", "ENGRAM_EMBEDDINGS_BASE_URL": FakeEmbeddingServer.downURL,
            "ENGRAM_EMBEDDINGS_MODEL": "bow", "ENGRAM_EMBEDDINGS_TIMEOUT_SECONDS": "5",
        ]
        let (t, e) = try await seeded(provider)

        // Reindex stops with a clear error; every record stays pending, none is marked failed.
        let stopped = #expect(throws: EmbeddingReindexer.Interrupted.self) { try EmbeddingReindexer(engram: e, encoder: try engine(e)).run() }
        #expect(stopped?.localizedDescription.contains("3 still pending") == true)
        #expect(stopped?.localizedDescription.contains("127.0.0.1:9") == true)
        #expect(try t.scalar(e, "SELECT count(*) FROM embeddings") == 0)

        // Processing with embeddings on still stores the observation, leaving its vector pending.
        let warnings = Lines()
        var worker = try EngramRuntime.open(env: t.env)
        worker.enrichment.append(EmbeddingStep(encoder: try engine(e), clock: e.clock, warn: { warnings.add($0) }))
        try t.enqueue(worker, session: "s2", commands: ["make deploy kubernetes staging", "kubectl rollout status"])
        _ = try await QueueProcessor(worker).drain()
        #expect(try t.scalar(e, "SELECT count(*) FROM observations") == 5)
        #expect(try t.scalar(e, "SELECT count(*) FROM embeddings") == 0)
        // The first failure pauses the provider: one warning for two records.
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains("left pending") == true)

        // Search in any mode answers from keywords and says why.
        var service = EngramRuntime.engine(e).searchService()
        let reasons = Lines()
        service.keywordFallback = { reasons.add($0) }
        for mode in [SearchMode.semantic, .hybrid] {
            let hits = try service.search(.init(text: "kubernetes", project: t.project.path, mode: mode))
            #expect(hits.first?.id == "#4")
            #expect(hits.first?.matched == nil)
        }
        #expect(reasons.all.count == 2)
        #expect(reasons.all.first?.contains("unreachable") == true)
    }

    /// A provider as slow as the test wants ("hold" answers only when released): while the worker's processing waits
    /// on it for a vector, real `engram-hook` processes capture, and each one's item is stored before the provider has
    /// answered at all. When embedding ran inside the write transaction, each hook waited on that lock instead.
    @Test func hooksCaptureWhileASlowProviderHoldsProcessing() async throws {
        let server = try FakeEmbeddingServer()
        let t = try RuntimeEnv(server.env(model: "hold"))
        let worker = try EngramRuntime.open(env: t.env, embeddings: true)
        #expect(worker.enrichment.contains { $0 is EmbeddingStep })
        try t.enqueue(worker, session: "s1", commands: ["make deploy kubernetes staging"])
        let drain = Task { try await QueueProcessor(worker).drain() }
        func held() async throws -> Int {
            let (data, _) = try await URLSession.shared.data(from: URL(string: server.baseURL + "/held")!)
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["held"] as? Int ?? 0
        }
        // Only a guard against a hang: under the full suite the drain's task may wait a long time for a thread of the
        // cooperative pool (other tests block theirs on child processes), and when it starts does not matter here.
        let deadline = Date().addingTimeInterval(600)
        while try await held() == 0 {
            try #require(Date() < deadline, "the provider never received the observation's embedding request")
            try await Task.sleep(for: .milliseconds(20))
        }
        var env = t.env
        env["ENGRAM_WORKER_AUTOSTART"] = "0"
        for i in 0..<4 {
            let payload =
                #"{"session_id":"s2","transcript_path":"t.jsonl","cwd":"\#(t.project.path)","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"echo \#(i)"},"tool_response":{"stdout":"\#(i)"}}"#
            let (p, out, err) = try EngramProcess.start(
                ["post-tool-use"], env: env, cwd: t.project, stdin: Data(payload.utf8),
                executable: EngramProcess.hookBinary)
            _ = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0 && stderr.isEmpty, "\(stderr)")
        }
        #expect(try t.scalar(worker, "SELECT count(*) FROM pending_queue WHERE session_id = 's2' AND status = 'pending'") == 4)
        #expect(try await held() == 1, "the provider answered before the hooks ran: the test proved nothing")
        var release = URLRequest(url: URL(string: server.baseURL + "/release")!)
        release.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: release)
        let stats = try await drain.value
        #expect(stats.processed >= 1)
        #expect(try t.scalar(worker, "SELECT count(*) FROM embeddings WHERE status = 'done'") >= 1)
    }

    @Test func aBadAnswerIsAClearError() async throws {
        let server = try FakeEmbeddingServer()
        let (t, e) = try await seeded(server.env(model: "bad-json"))
        let error = #expect(throws: EmbeddingReindexer.Interrupted.self) { try EmbeddingReindexer(engram: e, encoder: try engine(e)).run() }
        #expect(error?.localizedDescription.contains("cannot read") == true)
        #expect(try t.scalar(e, "SELECT count(*) FROM embeddings") == 0)

        let searchError = #expect(throws: EmbeddingError.self) {
            try EngramRuntime.engine(e).searchService().search(.init(text: "invoice", project: t.project.path, mode: .semantic))
        }
        guard case .invalidResponse = searchError else { Issue.record("got \(String(describing: searchError))"); return }

        // A record stored while the server answers garbage is marked failed with the reason (`reindex --force` retries).
        let worker = try EngramRuntime.open(env: t.env, embeddings: true)
        try t.enqueue(worker, session: "s2", commands: ["make deploy kubernetes staging"])
        _ = try await QueueProcessor(worker).drain()
        #expect(try t.text(e, "SELECT status || ': ' || error FROM embeddings")?.hasPrefix("failed: The embeddings provider sent a response") == true)
    }
}

/// Lines collected from a @Sendable callback.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
