import Foundation

/// Runs Scripts/ai/fake_llm_server.py with the worker scenarios (Tests/Fixtures/worker/scenarios); shared by the
/// runtime and worker test targets.
/// Unchecked Sendable: constants only; the process is touched again only in `stop()`.
public final class FakeLLM: @unchecked Sendable {
    public let port: Int
    public let run = UUID().uuidString.lowercased()
    private let process: Process
    private let stdin: Pipe

    static let testsRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" && url.path != "/" { url.deleteLastPathComponent() }
        return url
    }()

    public init() throws {
        let root = Self.testsRoot.deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("Scripts/ai/fake_llm_server.py").path,
                       "--scenarios", Self.testsRoot.appendingPathComponent("Fixtures/worker/scenarios").path, "--max-seconds", "300"]
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardInput = inp
        p.standardError = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)) else {
            p.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "fake_llm_server.py printed no port; is python3 installed?"])
        }
        self.port = port
        self.process = p
        self.stdin = inp
    }

    deinit { stop() }

    public func baseURL(_ scenario: String) -> String { "http://127.0.0.1:\(port)/\(run)/\(scenario)" }

    /// Environment that points engram's worker at `scenario` with a fake key built at run time.
    public func env(_ scenario: String) -> [String: String] {
        ["ENGRAM_LLM_PROVIDER": "anthropic", "ENGRAM_LLM_BASE_URL": baseURL(scenario),
         "ANTHROPIC_API_KEY": ["sk", "ant", "test", UUID().uuidString.prefix(8).lowercased()].joined(separator: "-")]
    }

    public func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
