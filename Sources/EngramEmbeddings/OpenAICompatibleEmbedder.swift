import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Embeddings from any server speaking OpenAI's `POST /v1/embeddings` (OpenAI, Ollama, llama.cpp, TEI, vLLM).
package struct OpenAICompatibleEmbedder: Embedder {
    package let baseURL: URL
    package let model: String
    package let dimensions: Int
    package let options: EmbeddingOptions
    /// Texts per request.
    package let batchSize: Int
    package let timeout: TimeInterval
    /// Sent as the `dimensions` request field (for models that support shortening server-side).
    package let requestDimensions: Int?
    private let apiKey: String?
    private let session: URLSession

    /// Provider and model, plus the vector length when it was asked for or cut: what makes vectors comparable.
    package var modelID: String {
        "openai-compatible:\(model)" + ((options.truncateDimensions ?? requestDimensions).map { "@\($0)d" } ?? "")
    }

    /// `baseURL` is the server root (`https://api.openai.com`, `http://localhost:11434`); `/v1/embeddings` is appended.
    /// `dimensions` is the length the model returns (after `options.truncateDimensions`, if set); 0 accepts
    /// whatever length the server answers with, as long as one answer agrees with itself.
    package init(
        baseURL: URL, model: String, dimensions: Int, apiKey: String? = nil, options: EmbeddingOptions = EmbeddingOptions(),
        requestDimensions: Int? = nil, batchSize: Int = 64, timeout: TimeInterval = 30, session: URLSession = .shared
    ) {
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

    package func embed(_ texts: [String], kind: EmbeddingKind) async throws -> [[Float]] {
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

    /// The blocking twin of `embed`, for callers that are synchronous (a write transaction, a search):
    /// it waits on URLSession's completion handler, never on a Swift concurrency thread.
    package func embedSync(_ texts: [String], kind: EmbeddingKind) throws -> [[Float]] {
        var out: [[Float]] = []
        out.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = texts[start..<min(texts.count, start + batchSize)].map { options.prefixes.apply($0, kind: kind) }
            let request = try makeRequest(batch)
            let box = ResponseBox()
            let done = DispatchSemaphore(value: 0)
            session.dataTask(with: request) { data, response, error in
                box.set(data, response, error)
                done.signal()
            }.resume()
            done.wait()
            let (data, response, error) = box.get()
            if let error { throw EmbeddingError.network("\(request.url?.absoluteString ?? ""): \(error.localizedDescription)") }
            out += try parse(data ?? Data(), response: response, count: batch.count)
            start += batchSize
        }
        return out
    }

    private func request(_ inputs: [String]) async throws -> [[Float]] {
        let request = try makeRequest(inputs)
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw EmbeddingError.network("\(request.url?.absoluteString ?? ""): \(error.localizedDescription)")
        }
        return try parse(data, response: response, count: inputs.count)
    }

    private func makeRequest(_ inputs: [String]) throws -> URLRequest {
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
        return request
    }

    /// Vectors in input order from one answer to `count` inputs; every vector has `dimensions` floats
    /// (or, when `dimensions` is 0, the length of the first).
    private func parse(_ data: Data, response: URLResponse?, count: Int) throws -> [[Float]] {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            var message = String(decoding: data.prefix(300), as: UTF8.self)
            if let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
                if let err = obj["error"] as? [String: Any], let m = err["message"] as? String {
                    message = m
                } else if let m = obj["error"] as? String {
                    message = m
                }
            }
            throw EmbeddingError.provider(status: status, message: message)
        }
        guard let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let items = obj["data"] as? [[String: Any]]
        else {
            throw EmbeddingError.invalidResponse("no JSON 'data' array in the answer")
        }
        guard items.count == count else {
            throw EmbeddingError.invalidResponse("\(items.count) embeddings for \(count) inputs")
        }
        var vectors = [[Float]?](repeating: nil, count: count)
        for (position, item) in items.enumerated() {
            let index = (item["index"] as? NSNumber)?.intValue ?? position
            guard index >= 0, index < count, let raw = item["embedding"] as? [Any] else {
                throw EmbeddingError.invalidResponse("embedding \(position) lacks a valid index or float array")
            }
            let v = raw.compactMap { ($0 as? NSNumber)?.floatValue }
            guard v.count == raw.count else { throw EmbeddingError.invalidResponse("embedding \(index) has non-numbers") }
            vectors[index] = options.finish(v)
        }
        let expected = dimensions > 0 ? dimensions : (vectors.first??.count ?? 0)
        return try vectors.map { v in
            guard let v else { throw EmbeddingError.invalidResponse("an input got no embedding") }
            guard !v.isEmpty else { throw EmbeddingError.invalidResponse("an embedding is empty") }
            guard v.count == expected else { throw EmbeddingError.dimensionMismatch(expected: expected, actual: v.count) }
            return v
        }
    }
}

/// Carries one URLSession answer from its completion handler to the thread waiting for it.
private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, URLResponse?, (any Error)?) = (nil, nil, nil)

    func set(_ data: Data?, _ response: URLResponse?, _ error: (any Error)?) {
        lock.lock(); defer { lock.unlock() }
        value = (data, response, error)
    }

    func get() -> (Data?, URLResponse?, (any Error)?) {
        lock.lock(); defer { lock.unlock() }
        return value
    }
}
