import EngramModel
import Testing

/// What every `EventStore` promises: newest first, filtered by type, and a day's tokens summed over that day only.
@Suite struct EventStoreConformanceTests {
    @Test(arguments: Backend.available) func recentIsNewestFirstOfTheTypeAsked(_ backend: Backend) throws {
        let store = try backend.make().events
        try store.append([EngramEvent("a", ["n": 1]), EngramEvent("b", ["n": 2])], now: "2026-12-01T10:00:00.000Z")
        try store.append([EngramEvent("a", ["n": 3])], now: "2026-12-01T11:00:00.000Z")
        #expect(try store.recent(type: nil, limit: 10).map(\.data) == [["n": 3], ["n": 2], ["n": 1]])
        #expect(try store.recent(type: "a", limit: 1).map(\.data) == [["n": 3]])
        #expect(try store.recent(type: "a", limit: 10).allSatisfy { $0.timestamp != nil })
    }

    @Test(arguments: Backend.available) func tokensAreSummedForTheDayAndTypeGiven(_ backend: Backend) throws {
        let store = try backend.make().events
        try store.append(
            [
                EngramEvent("llm.usage", ["day": "2026-12-01"], tokensIn: 100, tokensOut: 20),
                EngramEvent("llm.usage", ["day": "2026-12-01"], tokensIn: 5),
                EngramEvent("llm.usage", ["day": "2026-12-02"], tokensIn: 1000, tokensOut: 1000),
                EngramEvent("compress.done", ["day": "2026-12-01"], tokensIn: 7, tokensOut: 7),
            ], now: "2026-12-02T10:00:00.000Z")
        #expect(try store.tokens(type: "llm.usage", day: "2026-12-01") == 125)
        #expect(try store.tokens(type: "llm.usage", day: "2026-11-30") == 0)
    }
}
