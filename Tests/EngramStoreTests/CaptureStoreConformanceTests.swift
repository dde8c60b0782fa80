import EngramModel
import Testing

/// What every `CaptureStore` promises, read back through `SessionStore` and `QueueStore`.
@Suite struct CaptureStoreConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z", t1 = "2026-12-01T10:05:00.000Z", t2 = "2026-12-01T10:09:00.000Z"

    func item(_ session: String, _ tool: String = "Bash") -> NewQueueItem {
        NewQueueItem(sessionID: session, project: "/p", hookType: "PostToolUse", toolName: tool, payload: #"{"tool_name":"\#(tool)"}"#, rawSize: 42)
    }

    @Test(arguments: Backend.available) func touchingCreatesThenKeepsWhatIsNotGivenAndRevivesAClosedSession(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.capture.touchSession("s1", project: "/p", source: "startup", transcriptPath: "/t/s1.jsonl", now: Self.t0)
        var s = try #require(try stores.sessions.session("s1"))
        #expect(s.status == "active" && s.startedAt == Self.t0 && s.source == "startup" && s.transcriptPath == "/t/s1.jsonl")
        try stores.capture.touchSession("s1", project: "/p", source: nil, transcriptPath: nil, now: Self.t1)
        s = try #require(try stores.sessions.session("s1"))
        #expect(s.source == "startup" && s.transcriptPath == "/t/s1.jsonl" && s.updatedAt == Self.t1 && s.startedAt == Self.t0)
        try stores.capture.touchSession("s1", project: "/p", source: "resume", transcriptPath: nil, now: Self.t1)
        #expect(try stores.sessions.session("s1")?.source == "resume")

        try stores.capture.closeSession("s1", reason: "clear", now: Self.t1)
        s = try #require(try stores.sessions.session("s1"))
        #expect(s.status == "closed" && s.endedAt == Self.t1 && s.endReason == "clear")
        try stores.capture.touchSession("s1", project: "/p", source: nil, transcriptPath: nil, now: Self.t2)
        s = try #require(try stores.sessions.session("s1"))
        #expect(s.status == "active" && s.endedAt == nil)
    }

    @Test(arguments: Backend.available) func closingAnUnknownSessionCreatesNothing(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.capture.closeSession("phantom", reason: "other", now: Self.t0)
        #expect(try stores.sessions.session("phantom") == nil)
    }

    @Test(arguments: Backend.available) func enqueuedItemsArePendingInOrderAndCreateTheirSession(_ backend: Backend) throws {
        let stores = try backend.make()
        let a = try stores.capture.enqueue(item("s1", "Read"), event: EngramEvent("hook.capture"), now: Self.t0)
        let b = try stores.capture.enqueue(item("s1", "Edit"), event: EngramEvent("hook.capture"), now: Self.t1)
        _ = try stores.capture.enqueue(item("s2"), event: EngramEvent("hook.capture"), now: Self.t1)
        #expect(a != b)
        let items = try stores.queue.items(sessionID: "s1")
        #expect(items.map(\.id) == [a, b])
        #expect(items.map(\.toolName) == ["Read", "Edit"])
        #expect(items.allSatisfy { $0.status == .pending && $0.attempts == 0 && $0.rawSizeBytes == 42 && $0.project == "/p" })
        #expect(items.first?.payload == #"{"tool_name":"Read"}"#)
        #expect(try stores.sessions.session("s1")?.status == "active")
        #expect(try stores.queue.counts() == [.pending: 3])
        #expect(try stores.queue.unfinished(sessionID: "s1") == 2)
        #expect(try stores.queue.unfinished(sessionID: "nobody") == 0)
    }

    @Test(arguments: Backend.available) func promptsAreKeptInOrderAndCountedAndANilPromptOnlyTouches(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.capture.recordPrompt(sessionID: "s1", project: "/p", prompt: "fix the billing test", promptID: "p1", now: Self.t0)
        try stores.capture.recordPrompt(sessionID: "s1", project: "/p", prompt: nil, promptID: nil, now: Self.t1)
        try stores.capture.recordPrompt(sessionID: "s1", project: "/p", prompt: "now the docs", promptID: "p2", now: Self.t2)
        #expect(try stores.sessions.prompts(sessionID: "s1") == ["fix the billing test", "now the docs"])
        let s = try #require(try stores.sessions.session("s1"))
        #expect(s.promptCount == 2 && s.updatedAt == Self.t2)
    }

    @Test(arguments: Backend.available) func stopKeepsTheLastAssistantMessageUnlessNoneIsGiven(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.capture.recordStop(sessionID: "s1", project: "/p", lastAssistantMessage: "All tests pass.", now: Self.t0)
        try stores.capture.recordStop(sessionID: "s1", project: "/p", lastAssistantMessage: nil, now: Self.t1)
        let s = try #require(try stores.sessions.session("s1"))
        #expect(s.lastAssistantMessage == "All tests pass." && s.updatedAt == Self.t1)
    }

    @Test(arguments: Backend.available) func parallelCapturesAreAllStoredOnce(_ backend: Backend) async throws {
        let stores = try backend.make()
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<40 {
                group.addTask { try stores.capture.enqueue(item("s\(i % 3)"), event: EngramEvent("hook.capture"), now: Self.t0) }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 40)
        let stored = try (0..<3).flatMap { try stores.queue.items(sessionID: "s\($0)") }
        #expect(stored.count == 40)
    }
}

/// What `QueueStore.payloads` promises the heuristic learner: one tool, in capture order, the latest sessions only.
@Suite struct QueuePayloadConformanceTests {
    func enqueue(_ stores: Stores, _ session: String, project: String = "/p", tool: String = "Bash", _ payload: String, at now: String) throws {
        try stores.capture.touchSession(session, project: project, source: nil, transcriptPath: nil, now: now)
        _ = try stores.capture.enqueue(
            NewQueueItem(
                sessionID: session, project: project, hookType: "PostToolUse", toolName: tool,
                payload: payload, rawSize: payload.utf8.count), event: EngramEvent("hook.capture"), now: now)
    }

    @Test(arguments: Backend.available) func payloadsAreOneToolsInCaptureOrder(_ backend: Backend) throws {
        let stores = try backend.make()
        try enqueue(stores, "s1", "a", at: "2026-12-01T10:00:00.000Z")
        try enqueue(stores, "s1", tool: "Read", "r", at: "2026-12-01T10:00:01.000Z")
        try enqueue(stores, "s1", "b", at: "2026-12-01T10:00:02.000Z")
        #expect(try stores.queue.payloads(tool: "Bash", sessionID: "s1") == ["a", "b"])
        #expect(try stores.queue.payloads(tool: "Read", sessionID: "s1") == ["r"])
        #expect(try stores.queue.payloads(tool: "Bash", sessionID: "nobody").isEmpty)
    }

    @Test(arguments: Backend.available) func earlierPayloadsComeFromTheProjectsLatestOtherSessions(_ backend: Backend) throws {
        let stores = try backend.make()
        try enqueue(stores, "oldest", "old", at: "2026-11-01T10:00:00.000Z")
        try enqueue(stores, "older", "older", at: "2026-11-10T10:00:00.000Z")
        try enqueue(stores, "recent", "recent", at: "2026-11-20T10:00:00.000Z")
        try enqueue(stores, "now", "mine", at: "2026-12-01T10:00:00.000Z")
        try enqueue(stores, "elsewhere", project: "/other", "theirs", at: "2026-11-25T10:00:00.000Z")
        let two = try stores.queue.payloads(tool: "Bash", project: "/p", latestSessions: 2, excluding: "now")
        #expect(Set(two) == ["older", "recent"])
        let all = try stores.queue.payloads(tool: "Bash", project: "/p", latestSessions: 10, excluding: "now")
        #expect(Set(all) == ["old", "older", "recent"])
    }
}
