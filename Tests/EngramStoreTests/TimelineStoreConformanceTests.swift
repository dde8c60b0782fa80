import EngramModel
import Testing

/// What every `TimelineStore` promises: time order with a session's start before its prompts and its end last,
/// project scope, and the limits on each side.
@Suite struct TimelineStoreConformanceTests {
    func session(_ stores: Stores, _ id: String, project: String = "/p", prompts: [String], at start: String, end: String? = nil) throws {
        try stores.capture.touchSession(id, project: project, source: "startup", transcriptPath: nil, now: start)
        for p in prompts { try stores.capture.recordPrompt(sessionID: id, project: project, prompt: p, promptID: nil, now: start) }
        if let end { try stores.capture.closeSession(id, reason: "exit", now: end) }
    }

    @Test(arguments: Backend.available) func entriesAreInTimeOrderStartBeforePromptsEndLast(_ backend: Backend) throws {
        let stores = try backend.make()
        try session(stores, "s1", prompts: ["fix billing", "and the docs"], at: "2026-12-01T10:00:00.000Z", end: "2026-12-01T10:00:00.000Z")
        try session(stores, "s2", prompts: ["later work"], at: "2026-12-01T11:00:00.000Z")
        let t = try stores.timeline.around(time: "2026-12-01T10:30:00.000Z", anchorObservation: nil, project: "/p", before: 10, after: 10)
        #expect(t.earlier.map(\.kind) == ["session_start", "prompt", "prompt", "session_end"])
        #expect(t.earlier.map(\.title).dropFirst().first == "fix billing")
        #expect(t.earlier.allSatisfy { $0.sessionId == "s1" && !$0.isAnchor })
        #expect(t.later.map(\.kind) == ["session_start", "prompt"])
        #expect(t.later.first?.title == "Session started (startup)")
    }

    @Test(arguments: Backend.available) func limitsKeepTheNearestOnEachSide(_ backend: Backend) throws {
        let stores = try backend.make()
        for h in 0..<6 { try session(stores, "s\(h)", prompts: [], at: "2026-12-01T1\(h):00:00.000Z") }
        let t = try stores.timeline.around(time: "2026-12-01T13:30:00.000Z", anchorObservation: nil, project: "/p", before: 2, after: 1)
        #expect(t.earlier.map(\.sessionId) == ["s2", "s3"])
        #expect(t.later.map(\.sessionId) == ["s4"])
        let none = try stores.timeline.around(time: "2026-12-01T13:30:00.000Z", anchorObservation: nil, project: "/p", before: 0, after: 0)
        #expect(none.earlier.isEmpty && none.later.isEmpty)
    }

    @Test(arguments: Backend.available) func anotherProjectsEntriesNeverShow(_ backend: Backend) throws {
        let stores = try backend.make()
        try session(stores, "mine", prompts: ["my prompt"], at: "2026-12-01T10:00:00.000Z")
        try session(stores, "theirs", project: "/other", prompts: ["their secret prompt"], at: "2026-12-01T10:01:00.000Z")
        let t = try stores.timeline.around(time: "2026-12-01T12:00:00.000Z", anchorObservation: nil, project: "/p", before: 10, after: 10)
        #expect(t.earlier.map(\.sessionId) == ["mine", "mine"])
        let everyone = try stores.timeline.around(time: "2026-12-01T12:00:00.000Z", anchorObservation: nil, project: nil, before: 10, after: 10)
        #expect(everyone.earlier.count == 4)
    }
}
