import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Embeddings from any server speaking OpenAI's `POST /v1/embeddings` (OpenAI, Ollama, llama.cpp, TEI, vLLM).
public struct OpenAICompatibleEmbedder: Embedder {
    public let baseURL: URL
    public let model: String
    public let dimensions: Int
    public let options: EmbeddingOptions
    /// Texts per request.
    public let batchSize: Int
    public let timeout: TimeInterval
    /// Sent as the `dimensions` request field (for models that support shortening server-side).
    public let requestDimensions: Int?
    private let apiKey: String?
    private let session: URLSession

    public var modelID: String { "openai-compatible:\(model)" + (options.truncateDimensions.map { "@\($0)d" } ?? "") }

    /// `baseURL` is the server root (`https://api.openai.com`, `http://localhost:11434`); `/v1/embeddings` is appended.
    /// `dimensions` is the length the model returns (after `options.truncateDimensions`, if set).
    public init(baseURL: URL, model: String, dimensions: Int, apiKey: String? = nil, options: EmbeddingOptions = EmbeddingOptions(),
                requestDimensions: Int? = nil, batchSize: Int = 64, timeout: TimeInterval = 30, session: URLSession = .shared) {
        self.baseURL = baseURL
        self.model = model
        self.options = options
        self.dimensions = options.outputDimensions(for: dimensions)
        self.apiKey = apiKey
        self.requestDimensions = requestDimensions
        self.batchSize = max(1, batchSize)
        self.timeout = timeout
        self.session = session
    }

    public func embed(_ texts: [String], kind: EmbeddingKind) async throws -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = texts[start..<min(texts.count, start + batchSize)].map { options.prefixes.apply($0, kind: kind) }
            out += try await request(batch)
            start += batchSize
        }
        return out
    }

    private func request(_ inputs: [String]) async throws -> [[Float]] {
        var url = baseURL
        if !url.path.hasSuffix("/v1") { url = url.appendingPathComponent("v1") }
        url = url.appendingPathComponent("embeddings")
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = timeout
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey, !apiKey.isEmpty { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        var body: [String: Any] = ["model": model, "input": inputs, "encoding_format": "float"]
        if let requestDimensions { body["dimensions"] = requestDimensions }
        request.httpBody = try JSONSerialization.data(withJSONObject: body)

        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw EmbeddingError.network("\(url.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            var message = String(decoding: data.prefix(300), as: UTF8.self)
            if let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
                if let err = obj["error"] as? [String: Any], let m = err["message"] as? String { message = m }
                else if let m = obj["error"] as? String { message = m }
            }
            throw EmbeddingError.provider(status: status, message: message)
        }
        guard let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let items = obj["data"] as? [[String: Any]] else {
            throw EmbeddingError.invalidResponse("no JSON 'data' array in the answer")
        }
        guard items.count == inputs.count else {
            throw EmbeddingError.invalidResponse("\(items.count) embeddings for \(inputs.count) inputs")
        }
        var vectors = [[Float]?](repeating: nil, count: inputs.count)
        for (position, item) in items.enumerated() {
            let index = (item["index"] as? NSNumber)?.intValue ?? position
            guard index >= 0, index < inputs.count, let raw = item["embedding"] as? [Any] else {
                throw EmbeddingError.invalidResponse("embedding \(position) lacks a valid index or float array")
            }
            let v = raw.compactMap { ($0 as? NSNumber)?.floatValue }
            guard v.count == raw.count else { throw EmbeddingError.invalidResponse("embedding \(index) has non-numbers") }
            vectors[index] = options.finish(v)
        }
        return try vectors.map { v in
            guard let v else { throw EmbeddingError.invalidResponse("an input got no embedding") }
            guard v.count == dimensions else { throw EmbeddingError.dimensionMismatch(expected: dimensions, actual: v.count) }
            return v
        }
    }
}
