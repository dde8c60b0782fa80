import Foundation

/// Scripts/embeddings/fake_hub.py: in `openai` mode a server speaking OpenAI's `POST /v1/embeddings` (models named
/// `bow…` answer bag-of-words vectors, so texts sharing words are near; `bad-json` answers garbage, `fail-500` a server
/// error; with `key`, requests without `Authorization: Bearer <key>` get a 401); in `hub` mode a model hub serving a
/// folder of model repositories.
package final class FakeEmbeddingServer: Sendable {
    package let server: ScriptServer

    /// The OpenAI-compatible embeddings API.
    package convenience init(key: String? = nil) throws {
        try self.init(["openai"], key: key)
    }

    /// A model hub serving the repositories under `root`.
    package convenience init(hub root: URL) throws {
        try self.init(["hub", root.path], key: nil)
    }

    private init(_ arguments: [String], key: String?) throws {
        // An empty key means "no authentication" to the script, whatever the environment held.
        server = try ScriptServer(script: "embeddings/fake_hub.py", arguments: arguments, environment: ["ENGRAM_FAKE_KEY": key ?? ""])
    }

    package var baseURL: String { server.baseURL }
    package var url: URL { URL(string: server.baseURL)! }

    /// Environment that points engram's embeddings at this server with `model`.
    package func env(model: String = "bow") -> [String: String] {
        ["ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible", "ENGRAM_EMBEDDINGS_BASE_URL": baseURL, "ENGRAM_EMBEDDINGS_MODEL": model]
    }

    /// A URL where nothing listens (the discard port on loopback): a server that is down.
    package static let downURL = "http://127.0.0.1:9"

    package func stop() { server.stop() }
}
