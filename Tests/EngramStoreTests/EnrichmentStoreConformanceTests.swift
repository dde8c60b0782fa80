import EngramModel
import Foundation
import Testing

/// What every `EnrichmentStore` promises: a step is completed at most once (also by racing completers), what it
/// stores is written with its retirement, failures are counted and retire the step after the allowed attempts, and
/// the owed list keeps observation order.
@Suite struct EnrichmentStoreConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z"

    /// Stores `n` observations owing `steps`; returns their ids.
    func observations(_ stores: Stores, _ n: Int, steps: [String] = ["mark"]) throws -> [Int64] {
        let ids = try (0..<n).map { i in
            try stores.capture.enqueue(
                NewQueueItem(
                    sessionID: "s1", project: "/p", hookType: "PostToolUse", toolName: "Bash",
                    payload: "{\"n\":\(i)}", rawSize: 10),
                event: EngramEvent("hook.received"), now: Self.t0)
        }
        let items = try stores.processing.claim(
            max: n, sessionID: nil, includeRaw: false, takeOver: false, owner: "me",
            lease: "2026-12-01T11:00:00.000Z", now: Self.t0, isDead: { _ in false })
        #expect(items.map(\.id) == ids)
        let batch = try stores.processing.commit(
            items.map { item in
                ProcessedItem(
                    item: item,
                    outcome: .compressed(
                        ObservationRecord(
                            queueId: item.id, sessionId: "s1", project: "/p", createdAt: Self.t0,
                            hookType: "PostToolUse", toolName: "Bash", title: "t", summary: "s",
                            compressor: "heuristic"), replacing: nil),
                    retryAt: nil, owedSteps: steps)
            }, now: Self.t0, describe: { "\($0)" }, events: { _, _ in [] })
        return batch.effects.compactMap {
            if case .stored(let id) = $0 { return id }; return nil
        }
    }

    func marks(_ stores: Stores) throws -> [EngramEvent] { try stores.events.recent(type: "test.mark", limit: 100) }

    @Test(arguments: Backend.available) func owedStepsComeInObservationOrderAndCanBeNarrowed(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try observations(stores, 3, steps: ["b", "a"])
        let all = try stores.enrichment.owed(observationIDs: nil, limit: 100)
        #expect(all.map(\.observationID) == ids.flatMap { [$0, $0] })
        #expect(try stores.enrichment.owed(observationIDs: nil, limit: 3).count == 3)
        #expect(
            Set(try stores.enrichment.owed(observationIDs: [ids[1]], limit: 100)) == [
                OwedEnrichment(observationID: ids[1], step: "a"), OwedEnrichment(observationID: ids[1], step: "b"),
            ])
        #expect(try stores.enrichment.owed(observationIDs: [], limit: 100).isEmpty)
        let subject = try #require(try stores.enrichment.subject(observationID: ids[0]))
        #expect(subject.observation.id == ids[0] && subject.item.id == subject.observation.queueId && subject.item.payload == "{\"n\":0}")
        #expect(try stores.enrichment.subject(observationID: 999_999) == nil)
    }

    @Test(arguments: Backend.available) func aStepIsCompletedAtMostOnceEvenWhenCompletersRace(_ backend: Backend) async throws {
        let stores = try backend.make()
        let ids = try observations(stores, 20)
        let owed = try stores.enrichment.owed(observationIDs: nil, limit: 100)
        let completed = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    var n = 0
                    for o in owed {
                        let events = try stores.enrichment.complete(
                            o, with: .events([EngramEvent("test.mark", .number(Double(o.observationID)))]),
                            now: Self.t0)
                        if let events {
                            n += 1
                            #expect(events.map(\.type) == ["test.mark"] && events[0].timestamp != nil)
                        }
                    }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(completed == ids.count)
        let marked = try marks(stores).compactMap { $0.data.intValue }
        #expect(marked.count == ids.count && Set(marked.map(Int64.init)) == Set(ids), "each observation's step stored once")
        #expect(try stores.enrichment.owed(observationIDs: nil, limit: 100).isEmpty)
    }

    @Test(arguments: Backend.available) func completingStoresTheResultWithTheRetirement(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try observations(stores, 1, steps: ["code"])
        let owed = OwedEnrichment(observationID: ids[0], step: "code")
        let events = try stores.enrichment.complete(
            owed,
            with: .codeSnapshot(project: "/p", file: "a.py", preferredAt: Self.t0) { previous in
                NewCodeSnapshot(
                    sessionID: "s1", symbols: [],
                    calls: [
                        CodeMapCall(
                            callerName: "f", calleeName: "g", calleeResolved: nil,
                            resolution: "unresolved", lineNumber: 3)
                    ],
                    observationID: ids[0], functionsChanged: [["name": "f"]], events: [EngramEvent("ast.scan", ["first": .bool(previous == nil)])])
            }, now: Self.t0)
        #expect(events?.map(\.type) == ["ast.scan"] && events?.first?.data["first"] == .bool(true))
        #expect(try stores.codeMap.calls(project: "/p", file: "a.py", caller: nil, limit: 10).map(\.calleeName) == ["g"])
        #expect(try stores.observations.observation(ids[0])?.functionsChanged.contains("\"f\"") == true)
        // Completed: a second completion writes nothing.
        #expect(try stores.enrichment.complete(owed, with: .events([EngramEvent("test.mark")]), now: Self.t0) == nil)
        #expect(try marks(stores).isEmpty)
        // A build that throws writes nothing and keeps the step owed.
        let next = try observations(stores, 1, steps: ["code"])
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try stores.enrichment.complete(
                OwedEnrichment(observationID: next[0], step: "code"),
                with: .codeSnapshot(project: "/p", file: "b.py", preferredAt: Self.t0) { _ in throw Refused() }, now: Self.t0)
        }
        #expect(try stores.enrichment.owed(observationIDs: nil, limit: 10) == [OwedEnrichment(observationID: next[0], step: "code")])
        // Nothing to store: the step is retired all the same.
        #expect(try stores.enrichment.complete(OwedEnrichment(observationID: next[0], step: "code"), with: nil, now: Self.t0) == [])
        #expect(try stores.enrichment.owed(observationIDs: nil, limit: 10).isEmpty)
    }

    @Test(arguments: Backend.available) func failuresAreCountedThenRetireTheStep(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try observations(stores, 1)
        let owed = OwedEnrichment(observationID: ids[0], step: "mark")
        var seen: [Int] = []
        for _ in 0..<3 {
            let event = try stores.enrichment.fail(owed, error: "provider down", maxAttempts: 3, now: Self.t0) { attempts in
                seen.append(attempts)
                return EngramEvent("enrich.error", ["attempts": .number(Double(attempts))])
            }
            #expect(event.timestamp != nil)
            if seen.count < 3 { #expect(try stores.enrichment.owed(observationIDs: nil, limit: 10) == [owed]) }
        }
        #expect(seen == [1, 2, 3])
        #expect(try stores.enrichment.owed(observationIDs: nil, limit: 10).isEmpty)
        #expect(try stores.events.recent(type: "enrich.error", limit: 10).count == 3)
        // Retiring drops a step without storing anything.
        let other = try observations(stores, 1)
        try stores.enrichment.retire(OwedEnrichment(observationID: other[0], step: "mark"))
        #expect(try stores.enrichment.owed(observationIDs: nil, limit: 10).isEmpty)
    }
}
