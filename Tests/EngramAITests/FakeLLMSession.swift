import EngramModel
import EngramTestSupport
import Foundation

@testable import EngramAI

extension FakeLLMServer {
    /// The server shared by all tests of the run, on the provider scenarios; each test talks to it through its own
    /// `FakeLLMSession`. It exits when this process does (its stdin closes).
    static let shared: Result<FakeLLMServer, any Error> = Result { try FakeLLMServer(scenarios: "ai/scenarios") }
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
