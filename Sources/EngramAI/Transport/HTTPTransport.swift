import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends one HTTP request. The seam lets providers run over URLSession in production and anything else in tests.
package protocol HTTPTransport: Sendable {
    /// Sends `request` and returns whatever status came back; throws `LLMError.timedOut`,
    /// `.transport` or `.cancelled` when no answer arrives.
    func send(_ request: URLRequest, timeout: Duration) async throws -> HTTPResponse
}
