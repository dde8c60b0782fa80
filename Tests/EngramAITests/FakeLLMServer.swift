import EngramModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import EngramAI

/// Runs Scripts/ai/fake_llm_server.py. Unchecked Sendable: every stored property is a constant,
/// and Process is only touched again in `stop()`.
final class FakeLLMServer: @unchecked Sendable {
    struct RecordedRequest: Decodable, Sendable {
        var run: String
        var scenario: String
        var method: String
        var path: String
        var headers: [String: String]
        var body: JSONValue?
    }

    enum StartError: Error, CustomStringConvertible {
        case noPort(String)
        var description: String {
            switch self {
            case .noPort(let line): "fake_llm_server.py did not print a port (got \"\(line)\"); is python3 installed?"
            }
        }
    }

    let port: Int
    private let process: Process
    private let stdin: Pipe
    private let transport = URLSessionTransport()

    /// The package root, found from this file's location.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" && url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent()
    }()

    init() throws {
        let root = Self.packageRoot
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appendingPathComponent("Scripts/ai/fake_llm_server.py").path,
            "--scenarios", root.appendingPathComponent("Tests/Fixtures/ai/scenarios").path,
            "--max-seconds", "300",
        ]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice
        try process.run()

        var line = Data()
        while let byte = try stdout.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = Int(text.trimmingCharacters(in: .whitespaces)) else {
            process.terminate()
            throw StartError.noPort(text)
        }
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    deinit {
        stop()
    }

    /// The server shared by all tests of the run; each test talks to it through its own `FakeLLMSession`.
    /// It exits when this process does (its stdin closes).
    static let shared: Result<FakeLLMServer, any Error> = Result { try FakeLLMServer() }

    /// Base URL under which `scenario` is served for `run`; providers append /v1/...
    func baseURL(run: String, scenario: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)/\(run)/\(scenario)")!
    }

    /// Every request the server received for `run`.
    func requests(run: String) async throws -> [RecordedRequest] {
        let url = URL(string: "http://127.0.0.1:\(port)/_requests?run=\(run)")!
        let response = try await transport.send(URLRequest(url: url), timeout: .seconds(10))
        return try JSONDecoder().decode([RecordedRequest].self, from: response.body)
    }

    /// Closing stdin alone ends the server; SIGTERM covers a copy of the pipe held by another child.
    func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

/// One test's view of the shared server: its own scenario counters and request log.
struct FakeLLMSession {
    let server: FakeLLMServer
    let run = UUID().uuidString.lowercased()

    init() throws {
        server = try FakeLLMServer.shared.get()
    }

    func baseURL(_ scenario: String) -> URL {
        server.baseURL(run: run, scenario: scenario)
    }

    func requests() async throws -> [FakeLLMServer.RecordedRequest] {
        try await server.requests(run: run)
    }
}

/// Records the delays the retry loop asked for instead of waiting.
actor RecordingSleeper: Sleeper {
    private(set) var delays: [Duration] = []

    func sleep(for duration: Duration) async throws {
        delays.append(duration)
    }
}

/// Counts the calls that reach the wrapped provider.
struct CountingProvider: LLMProvider {
    actor Log {
        private(set) var count = 0
        func increment() { count += 1 }
    }

    let base: any LLMProvider
    let calls = Log()

    init(wrapping base: any LLMProvider) {
        self.base = base
    }

    func complete(_ request: LLMRequest) async throws -> LLMResponse {
        await calls.increment()
        return try await base.complete(request)
    }
}

/// Test helpers shared by the suites.
enum TestSupport {
    /// A fake key assembled at run time, so no key-shaped literal sits in the repository.
    static func fakeKey(_ prefix: String) -> APIKey {
        APIKey([prefix, "test", UUID().uuidString.replacingOccurrences(of: "-", with: "")].joined(separator: "-"))!
    }

    static let observationInput = ObservationInput(
        toolName: "Edit",
        files: ["auth/routes.py"],
        input: #"{"file_path":"auth/routes.py","old_string":"pass","new_string":"return refresh(token)"}"#,
        response: "The file auth/routes.py has been updated."
    )

    static func simpleRequest(model: String = "claude-haiku-4-5", wantsJSON: Bool = false) -> LLMRequest {
        LLMRequest(system: "Be brief.", messages: [.user("Say hi")], model: model, maxTokens: 64, temperature: 0.2, wantsJSON: wantsJSON)
    }

    /// A date from an RFC 9110 HTTP date string.
    static func httpDate(_ text: String) -> Date {
        RetryAfter.parseHTTPDate(text)!
    }
}
