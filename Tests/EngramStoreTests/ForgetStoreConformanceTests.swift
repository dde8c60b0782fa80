import EngramModel
import Testing

/// What every `ForgetStore` promises: the target and what hangs on it go together, other projects stay, and an
/// unknown target is an error that deletes nothing.
@Suite struct ForgetStoreConformanceTests {
    static let now = "2026-12-01T10:00:00.000Z"

    func seed(_ stores: Stores, session: String, project: String) throws {
        try stores.capture.touchSession(session, project: project, source: nil, transcriptPath: nil, now: Self.now)
        try stores.capture.recordPrompt(sessionID: session, project: project, prompt: "prompt of \(session)", promptID: nil, now: Self.now)
        _ = try stores.capture.enqueue(
            NewQueueItem(
                sessionID: session, project: project, hookType: "PostToolUse", toolName: "Bash",
                payload: "{}", rawSize: 2), event: EngramEvent("hook.capture", sessionID: session, project: project), now: Self.now)
        _ = try stores.memories.insert(
            NewMemory(project: project, createdAt: Self.now, content: "memory of \(project)", tags: [], metadata: [:], source: nil))
        _ = try stores.learnings.amend(project: project) { _ in
            .insert(
                LearningRecord(
                    id: nil, project: project, createdAt: Self.now, updatedAt: Self.now, category: "gotcha", content: "lesson of \(project)",
                    confidence: 0.5, timesSeen: 1, sourceSessions: "[]", isManual: false, isActive: true)
            ) { _ in EngramEvent("learning.extracted") }
        }
    }

    @Test(arguments: Backend.available) func forgettingASessionTakesItsPromptsAndQueueAndNothingElse(_ backend: Backend) throws {
        let stores = try backend.make()
        try seed(stores, session: "s1", project: "/p")
        try seed(stores, session: "s2", project: "/p")
        let deleted = try stores.forget.forget(.session("s1"))
        #expect(deleted["sessions"] == 1 && deleted["user_prompts"] == 1 && deleted["pending_queue"] == 1)
        #expect(deleted.values.allSatisfy { $0 > 0 })
        #expect(try stores.sessions.session("s1") == nil)
        #expect(try stores.sessions.prompts(sessionID: "s1").isEmpty)
        #expect(try stores.queue.items(sessionID: "s1").isEmpty)
        #expect(try stores.sessions.session("s2") != nil && stores.queue.items(sessionID: "s2").count == 1)
        #expect(try stores.memories.recent(project: "/p", tags: [], limit: 10).count == 2)
    }

    @Test(arguments: Backend.available) func forgettingAProjectLeavesOtherProjectsWhole(_ backend: Backend) throws {
        let stores = try backend.make()
        try seed(stores, session: "mine", project: "/p")
        try seed(stores, session: "theirs", project: "/other")
        let deleted = try stores.forget.forget(.project("/p"))
        #expect(deleted["sessions"] == 1 && deleted["memories"] == 1 && deleted["learnings"] == 1)
        #expect(try stores.sessions.session("mine") == nil)
        #expect(try stores.memories.recent(project: "/p", tags: [], limit: 10).isEmpty)
        #expect(try stores.learnings.list(project: "/p", includeInactive: true, limit: 10).isEmpty)
        #expect(try stores.sessions.session("theirs") != nil)
        #expect(try stores.memories.recent(project: "/other", tags: [], limit: 10).count == 1)
        #expect(try stores.learnings.list(project: "/other", includeInactive: true, limit: 10).count == 1)
        #expect(try stores.queue.items(sessionID: "theirs").count == 1)
    }

    @Test(arguments: Backend.available) func anUnknownTargetIsNotFoundAndDeletesNothing(_ backend: Backend) throws {
        let stores = try backend.make()
        try seed(stores, session: "s1", project: "/p")
        for target: ForgetTarget in [.session("ghost"), .memory(9_999), .observation(9_999)] {
            #expect(throws: EngramError.self) { try stores.forget.forget(target) }
        }
        #expect(try stores.sessions.session("s1") != nil)
        #expect(try stores.memories.recent(project: "/p", tags: [], limit: 10).count == 1)
        let memory = try #require(try stores.memories.recent(project: "/p", tags: [], limit: 1).first?.number)
        #expect(try stores.forget.forget(.memory(memory)) == ["memories": 1])
        #expect(try stores.memories.memories(numbers: [memory]).isEmpty)
    }
}
