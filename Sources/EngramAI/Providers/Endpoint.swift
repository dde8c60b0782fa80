import Foundation

/// Builds API URLs from a configured base that may or may not already end in `/v1`.
enum Endpoint {
    /// `https://api.openai.com` and `https://api.openai.com/v1` both give `.../v1/<path>`.
    static func url(base: URL, path: String) -> URL {
        var trimmed = base.absoluteString
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let prefix = trimmed.hasSuffix("/v1") ? trimmed : trimmed + "/v1"
        return URL(string: prefix + "/" + path) ?? base.appendingPathComponent("v1").appendingPathComponent(path)
    }
}
