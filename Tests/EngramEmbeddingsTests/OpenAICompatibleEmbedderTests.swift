import EngramTestSupport
import Foundation
import Testing

@testable import EngramEmbeddings

@Suite("OpenAICompatibleEmbedder", .enabled(if: TestSupport.python3Available, "python3 is needed for the fake OpenAI server"))
struct OpenAICompatibleEmbedderTests {
    /// Built from pieces so no key-shaped literal sits in the repository.
    static let key = ["test", "only", "not", "a", "secret"].joined(separator: "-")

    @Test("posts batches with the bearer key and returns vectors in input order")
    func roundTrip() async throws {
        let server = try FakeEmbeddingServer(key: Self.key)
        let embedder = OpenAICompatibleEmbedder(baseURL: server.url, model: "fake", dimensions: 8, apiKey: Self.key, batchSize: 2)
        let texts = ["alpha", "beta", "gamma", "alpha"]
        let vectors = try await embedder.embed(texts, kind: .document)
        #expect(vectors.count == 4)
        #expect(vectors.allSatisfy { $0.count == 8 && abs(VectorMath.dot($0, $0) - 1) < 1e-5 })
        #expect(vectors[0] == vectors[3])
        #expect(vectors[0] != vectors[1])
        let single = try await embedder.embed(["gamma"], kind: .document)
        #expect(single[0] == vectors[2])
        #expect(embedder.modelID == "openai-compatible:fake")
    }

    @Test("a wrong key surfaces the server's message")
    func unauthorized() async throws {
        let server = try FakeEmbeddingServer(key: Self.key)
        let embedder = OpenAICompatibleEmbedder(baseURL: server.url, model: "fake", dimensions: 8, apiKey: "wrong")
        let error = await #expect(throws: EmbeddingError.self) { try await embedder.embed(["x"], kind: .query) }
        #expect(error == .provider(status: 401, message: "Incorrect API key provided"))
    }

    @Test("server errors, garbage and wrong dimensions are clear errors")
    func failures() async throws {
        let server = try FakeEmbeddingServer()
        let crash = OpenAICompatibleEmbedder(baseURL: server.url, model: "fail-500", dimensions: 8)
        await #expect(throws: EmbeddingError.provider(status: 500, message: "model crashed")) { try await crash.embed(["x"], kind: .query) }
        let garbage = OpenAICompatibleEmbedder(baseURL: server.url, model: "bad-json", dimensions: 8)
        let error = await #expect(throws: EmbeddingError.self) { try await garbage.embed(["x"], kind: .query) }
        guard case .invalidResponse = error else { Issue.record("got \(String(describing: error))"); return }
        let wrongDims = OpenAICompatibleEmbedder(baseURL: server.url, model: "fake", dimensions: 16)
        await #expect(throws: EmbeddingError.dimensionMismatch(expected: 16, actual: 8)) { try await wrongDims.embed(["x"], kind: .query) }
    }

    @Test("an unreachable server is a network error")
    func unreachable() async throws {
        let embedder = OpenAICompatibleEmbedder(baseURL: URL(string: "http://127.0.0.1:9")!, model: "m", dimensions: 8, timeout: 5)
        let error = await #expect(throws: EmbeddingError.self) { try await embedder.embed(["x"], kind: .query) }
        guard case .network = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test("Matryoshka truncation and prefixes apply to provider vectors too")
    func truncation() async throws {
        let server = try FakeEmbeddingServer()
        let full = OpenAICompatibleEmbedder(baseURL: server.url, model: "fake", dimensions: 8)
        let cut = OpenAICompatibleEmbedder(
            baseURL: server.url, model: "fake", dimensions: 8,
            options: EmbeddingOptions(prefixes: InstructionPrefixes([.query: "q: "]), truncateDimensions: 4))
        #expect(cut.dimensions == 4)
        let a = try await full.embed(["q: hello"], kind: .document)[0]
        let b = try await cut.embed(["hello"], kind: .query)[0]
        #expect(b.count == 4)
        #expect(TestSupport.cosine(Array(a[0..<4]), b) > 0.99999)
    }
}
