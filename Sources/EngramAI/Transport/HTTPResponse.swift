import Foundation

/// A raw HTTP answer: status, headers with lower-cased names, and body.
package struct HTTPResponse: Sendable, Hashable {
    package var status: Int
    /// Header names are lower-cased so lookups do not depend on the server's spelling.
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }
}
