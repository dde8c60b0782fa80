import EngramModel
import Testing

/// What every `ReportStore` promises: the period and project scope of each figure, which session is the latest and
/// what it touched, change lists oldest first, and the eval figures' sums and groupings.
@Suite struct ReportStoreConformanceTests {
    static let before = "2026-11-30T10:00:00.000Z", since = "2026-12-01T00:00:00.000Z"
    static func at(_ hour: Int) -> String { "2026-12-01T\(String(format: "%02d", hour)):00:00.000Z" }

    static var sample: [ExportRow] {
        [
            Rows.session("old", at: before, summary: "Long ago."),
            Rows.session("s1", at: at(9), summary: "Morning work."), Rows.session("s2", at: at(10), updated: at(11), summary: "  Later work.  "),
            Rows.session("theirs", project: "/other", at: at(12)),
            Rows.observation(1, session: "old", at: before, title: "old"),
            Rows.observation(2, session: "s1", at: at(9), title: "one", files: ["a.py"]),
            Rows.observation(3, session: "s2", at: at(10), title: "two", files: ["/p/b.py", "a.py"]),
            Rows.observation(4, session: "s2", at: at(11), title: "three", files: ["b.py", "/p/b.py"]),
            Rows.observation(5, session: "theirs", project: "/other", at: at(12), title: "theirs", files: ["z.py"]),
            Rows.learning(1, "sure", confidence: 0.9), Rows.learning(2, project: nil, "global", confidence: 0.7),
            Rows.learning(3, "unsure", confidence: 0.2), Rows.learning(4, "retired", confidence: 0.95, active: false),
            Rows.learning(5, project: "/other", "theirs", confidence: 0.99, manual: true),
            Rows.function(1, file: "a.py", at: before, session: "old", "f", change: "new"),
            Rows.function(2, file: "a.py", at: at(9), session: "s1", "f", change: "modified"),
            Rows.function(3, file: "b.py", at: at(10), session: "s2", "g", change: "new"),
            Rows.function(4, file: "b.py", at: at(11), session: "s2", "g", change: "unchanged"),
            Rows.function(5, project: "/other", file: "z.py", at: at(12), session: "theirs", "z", change: "new"),
        ]
    }

    @Test(arguments: Backend.available) func activityCountsThePeriodOfTheProject(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(stores, Self.sample)
        let a = try stores.reports.activity(project: "/p", since: Self.since, learnings: 2)
        #expect((a.sessions, a.observations) == (2, 3))
        #expect(a.learnings.map(\.content) == ["sure", "global"])
        #expect(a.changes.map(\.qualifiedName) == ["f", "g"])
        #expect(a.changes.map(\.snapshotAt) == [Self.at(9), Self.at(10)])
        let all = try stores.reports.activity(project: nil, since: Self.since, learnings: 10)
        #expect((all.sessions, all.observations) == (3, 4))
        #expect(all.learnings.map(\.content) == ["theirs", "sure", "global", "unsure"])
        #expect(all.changes.map(\.qualifiedName) == ["f", "g", "z"])
    }

    @Test(arguments: Backend.available) func theLatestSessionIsTheLastStartedWithTheFilesItTouchedOnceEach(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(stores, Self.sample)
        let a = try stores.reports.activity(project: "/p", since: Self.since, learnings: 0)
        let latest = try #require(a.latestSession)
        #expect(latest.id == "s2" && latest.project == "/p" && latest.startedAt == Self.at(10))
        #expect(latest.summary?.contains("Later work.") == true)
        #expect(latest.files == ["/p/b.py", "a.py", "b.py"])
        #expect(a.latestSessionChanges.map(\.sessionID) == ["s2"])
        #expect(try stores.reports.activity(project: nil, since: Self.since, learnings: 0).latestSession?.id == "theirs")
        #expect(try stores.reports.activity(project: "/p", since: "2026-12-02T00:00:00.000Z", learnings: 0).latestSession == nil)
    }

    @Test(arguments: Backend.available) func evalFiguresSumAndGroupTheEventsOfThePeriod(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(
            stores,
            Self.sample + [
                Rows.call(1, file: "a.py", at: Self.at(9), session: "s1", caller: "f", callee: "db.query", resolution: "unresolved"),
                Rows.call(2, file: "a.py", at: Self.at(9), session: "s1", caller: "f", callee: "g"),
                Rows.call(3, file: "a.py", at: Self.before, session: "old", caller: "f", callee: "gone", resolution: "unresolved"),
            ])
        try stores.events.append(
            [
                EngramEvent("compress.done", ["ratio": .number(0.5)], project: "/p", durationMs: 10, timestamp: Self.at(9)),
                EngramEvent("compress.done", ["ratio": .number(0.25)], project: "/p", durationMs: 30, timestamp: Self.at(10)),
                EngramEvent("compress.done", ["ratio": .number(0.1)], project: "/p", durationMs: 10, timestamp: "2026-12-02T09:00:00.000Z"),
                EngramEvent("compress.done", ["ratio": .number(0.9)], project: "/p", durationMs: 99, timestamp: Self.before),
                EngramEvent("compress.done", ["ratio": .number(0.9)], project: "/other", durationMs: 99, timestamp: Self.at(9)),
                EngramEvent("compress.error", [:], project: "/p", timestamp: Self.at(9)),
                EngramEvent("llm.usage", ["cost_usd": .number(0.5)], project: "/p", tokensIn: 100, tokensOut: 20, timestamp: Self.at(9)),
                EngramEvent("capture.spill", ["lost": .number(2)], project: "/other", timestamp: Self.at(9)),
            ], now: Self.at(12))
        let f = try stores.reports.evalFigures(project: "/p", since: Self.since, unresolved: 5)
        #expect(f.compression.count == 3)
        #expect(f.compression.mean.map { abs($0 - 50.0 / 3) < 1e-9 } == true)
        #expect(f.compressionErrors == 1)
        #expect(f.compressionByDay.map(\.day) == ["2026-12-01", "2026-12-02"])
        #expect(f.compressionByDay.map(\.count) == [2, 1])
        #expect((f.tokenEvents, f.tokensIn, f.tokensOut, f.costUSD) == (1, 100, 20, 0.5))
        // Learnings as they are now: the project's and the global active ones.
        #expect((f.activeLearnings, f.confidentLearnings, f.manualLearnings) == (3, 1, 0))
        // The call graph's latest snapshot of a.py only: the older unresolved call is history.
        #expect((f.callEdges, f.unresolvedCalls) == (2, 1))
        #expect(f.topUnresolved == [.init(callee: "db.query", occurrences: 1, functions: 1)])
        #expect(f.lostCaptures == 2)
        #expect(f.scans == 0 && f.searchCount == 0 && f.contextCount == 0 && f.failedItems == 0)
    }
}
