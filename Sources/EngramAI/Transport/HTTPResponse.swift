import Foundation

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
