import Foundation

/// Runs `Scripts/embeddings/fake_hub.py openai`: a local server speaking OpenAI's `POST /v1/embeddings`.
/// Models named `bow…` answer bag-of-words vectors (texts sharing words are near), `bad-json` answers garbage,
/// `fail-500` a server error. With `key`, requests without `Authorization: Bearer <key>` get a 401.
/// Unchecked Sendable: constants only; the process is touched again only in `stop()`.
public final class FakeEmbeddingServer: @unchecked Sendable {
    public let baseURL: String
    private let process: Process
    private let stdin: Pipe

    public init(key: String? = nil) throws {
        let root = FakeLLM.testsRoot.deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("Scripts/embeddings/fake_hub.py").path, "openai"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ENGRAM_FAKE_KEY")
        if let key { env["ENGRAM_FAKE_KEY"] = key }
        p.environment = env
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardInput = inp
        p.standardError = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            p.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "fake_hub.py printed no port; is python3 installed?"])
        }
        baseURL = "http://127.0.0.1:\(port)"
        process = p
        stdin = inp
    }

    deinit { stop() }

    /// Environment that points engram's embeddings at this server with `model`.
    public func env(model: String = "bow") -> [String: String] {
        ["ENGRAM_EMBEDDINGS_PROVIDER": "openai-compatible", "ENGRAM_EMBEDDINGS_BASE_URL": baseURL, "ENGRAM_EMBEDDINGS_MODEL": model]
    }

    /// A URL where nothing listens (the discard port on loopback): a server that is down.
    public static let downURL = "http://127.0.0.1:9"

    public func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
