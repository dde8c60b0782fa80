import EngramModel
import Testing

/// What every `SessionStore` and `EventStore` promise about finishing and briefing a session.
@Suite struct SessionStoreConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z", t1 = "2026-12-01T10:05:00.000Z"

    @Test(arguments: Backend.available) func aSummaryMarksTheSessionSummarizedButAClosedOneStaysClosed(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.capture.touchSession("open", project: "/p", source: nil, transcriptPath: nil, now: Self.t0)
        try stores.capture.touchSession("ended", project: "/p", source: nil, transcriptPath: nil, now: Self.t0)
        try stores.capture.closeSession("ended", reason: "exit", now: Self.t0)
        #expect(try stores.sessions.saveSummary(sessionID: "open", text: "Fixed the test.", event: EngramEvent("hook.summary"), now: Self.t1))
        #expect(try stores.sessions.saveSummary(sessionID: "ended", text: "Wrote docs.", event: EngramEvent("hook.summary"), now: Self.t1))
        #expect(try stores.sessions.session("open")?.status == "summarized")
        #expect(try stores.sessions.session("open")?.summaryText == "Fixed the test.")
        #expect(try stores.sessions.session("ended")?.status == "closed")
        #expect(try stores.sessions.session("ended")?.summaryText == "Wrote docs.")
        #expect(try stores.events.recent(type: "hook.summary", limit: 10).count == 2)
    }

    @Test(arguments: Backend.available) func summarizingAnUnknownSessionWritesNothing(_ backend: Backend) throws {
        let stores = try backend.make()
        #expect(try !stores.sessions.saveSummary(sessionID: "ghost", text: "x", event: EngramEvent("hook.summary"), now: Self.t0))
        #expect(try stores.sessions.session("ghost") == nil)
        #expect(try stores.events.recent(type: "hook.summary", limit: 10).isEmpty)
    }

    @Test(arguments: Backend.available) func injectedTokensAddUpWithTheirEvents(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.capture.touchSession("s1", project: "/p", source: nil, transcriptPath: nil, now: Self.t0)
        try stores.sessions.addInjected(tokens: 300, sessionID: "s1", events: [EngramEvent("hook.context_inject", ["tokens": 300])], now: Self.t0)
        try stores.sessions.addInjected(tokens: 120, sessionID: "s1", events: [EngramEvent("hook.context_inject", ["tokens": 120])], now: Self.t1)
        #expect(try stores.sessions.session("s1")?.tokensInjected == 420)
        let events = try stores.events.recent(type: "hook.context_inject", limit: 10)
        #expect(events.map(\.data) == [["tokens": 120], ["tokens": 300]])
        #expect(events.map(\.timestamp) == [Self.t1, Self.t0])
    }

    @Test(arguments: Backend.available) func eventsComeBackNewestFirstWithWhatTheyCarried(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.events.append(
            [
                EngramEvent("search.query", ["q": "billing"], sessionID: "s1", project: "/p", durationMs: 3),
                EngramEvent("compress.start", ["model": "m"], tokensIn: 10, tokensOut: 2, timestamp: Self.t0),
            ], now: Self.t1)
        let all = try stores.events.recent(type: nil, limit: 10)
        #expect(all.map(\.type) == ["compress.start", "search.query"])
        #expect(all.first?.timestamp == Self.t0 && all.first?.tokensIn == 10 && all.first?.tokensOut == 2)
        #expect(all.last?.timestamp == Self.t1 && all.last?.durationMs == 3 && all.last?.sessionID == "s1" && all.last?.project == "/p")
        #expect(try stores.events.recent(type: "search.query", limit: 10).map(\.data) == [["q": "billing"]])
        #expect(try stores.events.recent(type: nil, limit: 1).count == 1)
    }

    @Test(arguments: Backend.available) func aSessionWithoutObservationsHasNone(_ backend: Backend) throws {
        let stores = try backend.make()
        try stores.capture.touchSession("s1", project: "/p", source: nil, transcriptPath: nil, now: Self.t0)
        _ = try stores.capture.enqueue(
            NewQueueItem(sessionID: "s1", project: "/p", hookType: "PostToolUse", toolName: "Bash", payload: "{}", rawSize: 2),
            event: EngramEvent("hook.capture"), now: Self.t0)
        // Queued is not observed: observations appear only once an item is processed.
        #expect(try stores.observations.observations(sessionID: "s1", limit: 10).isEmpty)
        #expect(try stores.observations.count(project: "/p") == 0)
        #expect(try stores.observations.count(project: nil) == 0)
    }

    @Test(arguments: Backend.available) func sessionsAreCountedPerProjectAndInAll(_ backend: Backend) throws {
        let stores = try backend.make()
        for (id, project) in [("a1", "/a"), ("a2", "/a"), ("b1", "/b")] {
            try stores.capture.touchSession(id, project: project, source: nil, transcriptPath: nil, now: Self.t0)
        }
        try stores.capture.touchSession("a1", project: "/a", source: "resume", transcriptPath: nil, now: Self.t1) // revived, not new
        #expect(try stores.sessions.count(project: "/a") == 2)
        #expect(try stores.sessions.count(project: "/b") == 1)
        #expect(try stores.sessions.count(project: "/c") == 0)
        #expect(try stores.sessions.count(project: nil) == 3)
    }
}
