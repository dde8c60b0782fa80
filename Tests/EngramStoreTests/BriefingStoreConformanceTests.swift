import EngramModel
import Testing

/// What every `BriefingStore` promises: project scope (global learnings included), the orders and limits of each
/// layer's material, the excluded session left out, and what a session's counts count.
@Suite struct BriefingStoreConformanceTests {
    static func at(_ minute: Int) -> String { "2026-12-01T10:\(String(format: "%02d", minute)):00.000Z" }

    @Test(arguments: Backend.available) func anotherProjectsRowsNeverShowButGlobalLearningsDo(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(
            stores,
            [
                Rows.session("mine", at: Self.at(0)), Rows.session("theirs", project: "/other", at: Self.at(5)),
                Rows.observation(1, session: "mine", at: Self.at(1), tool: "Edit", title: "my edit", files: ["a.py"]),
                Rows.observation(2, session: "theirs", project: "/other", at: Self.at(6), tool: "Edit", title: "their edit", files: ["b.py"]),
                Rows.learning(1, "mine"), Rows.learning(2, project: nil, "global"), Rows.learning(3, project: "/other", "theirs"),
                Rows.function(1, file: "a.py", at: Self.at(1), session: "mine", "f", change: "new"),
                Rows.function(2, project: "/other", file: "b.py", at: Self.at(6), session: "theirs", "g", change: "new"),
            ])
        let m = try stores.briefing.material(project: "/p", excludingSession: nil, sessions: 10, learnings: 10, observations: 10)
        #expect(m.sessions.map(\.id) == ["mine"])
        #expect(m.observations.map(\.title) == ["my edit"])
        #expect(m.fileEdits.map(\.file) == ["a.py"])
        #expect(Set(m.learnings.map(\.content)) == ["mine", "global"])
        #expect(m.definitions.map(\.file) == ["a.py"])
    }

    @Test(arguments: Backend.available) func sessionsAreTheLatestNewestFirstWithoutTheExcludedOne(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(
            stores,
            (0..<5).map { Rows.session("s\($0)", at: Self.at($0 * 10)) } + [
                Rows.prompt(1, session: "s3", at: Self.at(31), "first ask"), Rows.prompt(2, session: "s3", at: Self.at(32), "second ask"),
                Rows.observation(1, session: "s3", at: Self.at(33), tool: "Edit", title: "Edited a.py"),
                Rows.observation(2, session: "s3", at: Self.at(34), tool: "Bash", title: "pytest: 3 passed"),
                Rows.observation(3, session: "s3", at: Self.at(35), tool: "Bash", title: "Committed the fix"),
                Rows.observation(4, session: "s3", at: Self.at(36), tool: "Bash", title: "make", hook: "PostToolUseFailure"),
                Rows.observation(5, session: "s3", at: Self.at(37), tool: "Read", title: "Read b.py"),
            ])
        let m = try stores.briefing.material(project: "/p", excludingSession: "s4", sessions: 3, learnings: 0, observations: 0)
        #expect(m.sessions.map(\.id) == ["s3", "s2", "s1"])
        let s3 = try #require(m.sessions.first)
        #expect(s3.firstPrompt == "first ask")
        #expect((s3.observations, s3.edits, s3.tests, s3.commits, s3.errors) == (5, 1, 1, 1, 1))
        #expect(m.sessions.dropFirst().allSatisfy { $0.observations == 0 && $0.firstPrompt == nil })
        #expect(m.learnings.isEmpty && m.observations.isEmpty)
    }

    @Test(arguments: Backend.available) func observationsPutWorkBeforeReadsEachNewestFirst(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(
            stores,
            [Rows.session("s", at: Self.at(0))]
                + [
                    ("Read", "read 1"), ("Edit", "edit 2"), ("Grep", "grep 3"), ("Bash", "bash 4"), ("Read", "read 5"), ("Write", "write 6"),
                ].enumerated().map { i, o in Rows.observation(Int64(i + 1), session: "s", at: Self.at(i + 1), tool: o.0, title: o.1) })
        let m = try stores.briefing.material(project: "/p", excludingSession: nil, sessions: 1, learnings: 0, observations: 5)
        #expect(m.observations.map(\.title) == ["write 6", "bash 4", "edit 2", "read 5", "grep 3"])
    }

    @Test(arguments: Backend.available) func learningsAreActiveOnesMostConfidentFirst(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(
            stores,
            [
                Rows.learning(1, "low", confidence: 0.3), Rows.learning(2, "high", confidence: 0.9),
                Rows.learning(3, "gone", confidence: 0.99, active: false),
                Rows.learning(4, "mid, seen often", confidence: 0.6, seen: 5), Rows.learning(5, "mid", confidence: 0.6),
            ])
        let m = try stores.briefing.material(project: "/p", excludingSession: nil, sessions: 0, learnings: 3, observations: 0)
        #expect(m.learnings.map(\.content) == ["high", "mid, seen often", "mid"])
    }

    @Test(arguments: Backend.available) func fileEditsAreTheFilesEditedLastFirstWithTheirCount(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(
            stores,
            [
                Rows.session("s", at: Self.at(0)),
                Rows.observation(1, session: "s", at: Self.at(1), tool: "Edit", title: "first a", files: ["a.py"]),
                Rows.observation(2, session: "s", at: Self.at(2), tool: "Write", title: "b", files: ["b.py"]),
                Rows.observation(3, session: "s", at: Self.at(3), tool: "Read", title: "read c", files: ["c.py"]),
                Rows.observation(4, session: "s", at: Self.at(4), tool: "Edit", title: "last a", files: ["a.py"]),
            ])
        let m = try stores.briefing.material(project: "/p", excludingSession: nil, sessions: 0, learnings: 0, observations: 0)
        #expect(
            m.fileEdits == [
                .init(file: "a.py", lastAt: Self.at(4), count: 2, lastTitle: "last a"),
                .init(file: "b.py", lastAt: Self.at(2), count: 1, lastTitle: "b"),
            ])
    }

    @Test(arguments: Backend.available) func definitionsAreThoseOfTheSessionThatSnapshottedEachFileLast(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(
            stores,
            [
                Rows.function(1, file: "a.py", at: Self.at(1), session: "old", "f", change: "new"),
                Rows.function(2, file: "a.py", at: Self.at(2), session: "new", "f", change: "modified"),
                Rows.function(3, file: "a.py", at: Self.at(3), session: "new", "f", change: "unchanged"),
                Rows.function(4, file: "a.py", at: Self.at(3), session: "new", "g", change: "new"),
                Rows.function(5, file: "b.py", at: Self.at(5), session: "old", "h", change: "new"),
            ]
                + (0..<9).map {
                    Rows.function(Int64(10 + $0), file: "old\($0).py", at: "2026-11-01T00:0\($0):00.000Z", session: "x", "k", change: "new")
                })
        let m = try stores.briefing.material(project: "/p", excludingSession: nil, sessions: 0, learnings: 0, observations: 0)
        // The 8 files snapshotted last: b.py, a.py and the 6 newest of the old ones; b.py first (latest), a.py's rows oldest first.
        #expect(Set(m.definitions.map(\.file)).count == 8)
        #expect(!m.definitions.contains { $0.file == "old0.py" || $0.file == "old1.py" })
        #expect(m.definitions.first?.file == "b.py")
        let a = m.definitions.filter { $0.file == "a.py" }
        #expect(a.map(\.snapshotAt) == [Self.at(2), Self.at(3), Self.at(3)])
        #expect(a.allSatisfy { $0.latestSnapshotAt == Self.at(3) })
        #expect(Set(a.map(\.symbol.qualifiedName)) == ["f", "g"])
        #expect(a.first?.symbol.change == "modified")
    }
}
