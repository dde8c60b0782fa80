import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A raw HTTP answer: status, headers with lower-cased names, and body.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names are lower-cased so lookups do not depend on the server's spelling.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }
}

/// Sends one HTTP request. The seam lets providers run over URLSession in production and anything else in tests.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns whatever status came back; throws `LLMError.timedOut`,
    /// `.transport` or `.cancelled` when no answer arrives.
    func send(_ request: URLRequest, timeout: Duration) async throws -> HTTPResponse
}
