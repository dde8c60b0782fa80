import EngramModel
import Foundation
import Testing

/// What every `ProcessingStore` promises: claims are exclusive while their lease runs (also under concurrent
/// claimers), oldest first, scoped to a session when asked; an item becomes at most one observation however often its
/// result is written; a fallback is upgraded in place; failures retry or stop as told; released and abandoned items
/// come back; the batch's events are written with it.
@Suite struct ProcessingStoreConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z"
    static let t1 = "2026-12-01T10:00:01.000Z"
    static let later = "2026-12-01T11:00:00.000Z"

    func enqueue(_ stores: Stores, _ n: Int, session: String = "s1", project: String = "/p") throws -> [Int64] {
        try (0..<n).map { i in
            try stores.capture.enqueue(
                NewQueueItem(
                    sessionID: session, project: project, hookType: "PostToolUse", toolName: "Bash",
                    payload: "{\"tool_name\":\"Bash\",\"n\":\(i)}", rawSize: 30),
                event: EngramEvent("hook.received", sessionID: session, project: project), now: Self.t0)
        }
    }

    func claim(
        _ stores: Stores, max: Int = 10, session: String? = nil, owner: String = "me", now: String = t0,
        lease: String = t1, includeRaw: Bool = false, takeOver: Bool = false, dead: Set<String> = []
    ) throws -> [QueueItem] {
        try stores.processing.claim(
            max: max, sessionID: session, includeRaw: includeRaw, takeOver: takeOver, owner: owner,
            lease: lease, now: now, isDead: { dead.contains($0) })
    }

    func observation(of item: QueueItem, title: String = "ran a command", compressor: String = "heuristic") -> ObservationRecord {
        ObservationRecord(
            queueId: item.id, sessionId: item.sessionId, project: item.project, createdAt: item.createdAt,
            hookType: item.hookType, toolName: item.toolName, title: title, summary: "summary of \(title)",
            compressedTokens: 7, compressor: compressor)
    }

    @discardableResult
    func commit(_ stores: Stores, _ items: [ProcessedItem]) throws -> ProcessedBatch {
        try stores.processing.commit(
            items, now: Self.t1, describe: { "refused: \($0)" },
            events: { p, effect in
                [EngramEvent("test.effect", .string("\(p.item.id ?? 0):\(effect)"), sessionID: p.item.sessionId)]
            })
    }

    @Test(arguments: Backend.available) func claimsAreOldestFirstExclusiveAndCountAnAttempt(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try enqueue(stores, 5)
        let first = try claim(stores, max: 3)
        #expect(first.map(\.id) == Array(ids.prefix(3)))
        #expect(first.allSatisfy { $0.status == .processing && $0.attempts == 1 })
        #expect(try claim(stores, owner: "other").map(\.id) == Array(ids.suffix(2)), "a claimed item is not claimed again")
        #expect(try claim(stores, owner: "third").isEmpty)
        // Once the lease runs out, the item is claimable again, another attempt.
        let again = try claim(stores, owner: "third", now: Self.later, lease: "2026-12-01T12:00:00.000Z")
        #expect(again.map(\.id) == ids && again.allSatisfy { $0.attempts == 2 })
    }

    @Test(arguments: Backend.available) func concurrentClaimersNeverShareAnItem(_ backend: Backend) async throws {
        let stores = try backend.make()
        let ids = try enqueue(stores, 60)
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [Int64] = []
                    while true {
                        let batch = try claim(stores, max: 3, owner: "w\(worker)").compactMap(\.id)
                        if batch.isEmpty { return mine }
                        mine += batch
                    }
                }
            }
            var all: [Int64] = []
            for try await part in group { all += part }
            return all
        }
        #expect(claimed.count == ids.count && Set(claimed) == Set(ids), "every item claimed exactly once")
    }

    @Test(arguments: Backend.available) func claimsKeepToTheSessionAskedAndTakeOverWhatOthersHold(_ backend: Backend) throws {
        let stores = try backend.make()
        let a = try enqueue(stores, 2, session: "a")
        let b = try enqueue(stores, 2, session: "b")
        #expect(try claim(stores, session: "b", owner: "other").map(\.id) == b)
        #expect(try claim(stores, session: "b").isEmpty, "held by another owner under a live lease")
        #expect(try claim(stores, session: "b", takeOver: true).map(\.id) == b, "taken over whoever holds them")
        #expect(try claim(stores).map(\.id) == a)
    }

    @Test(arguments: Backend.available) func aDeadOwnersItemsComeBackAtOnce(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try enqueue(stores, 2)
        _ = try claim(stores, owner: "dead-one")
        #expect(try claim(stores, owner: "me").isEmpty)
        #expect(try claim(stores, owner: "me", dead: ["dead-one"]).map(\.id) == ids)
        // releaseAbandoned: items of dead owners go back to pending, a live owner's stay with it.
        let more = try enqueue(stores, 1)
        _ = try claim(stores, owner: "alive")
        #expect(try stores.processing.releaseAbandoned(isDead: { $0 == "me" }) == 2)
        #expect(try claim(stores, owner: "new").map(\.id) == ids)
        #expect(try claim(stores, owner: "new2").isEmpty, "\(more) is still the live owner's")
    }

    @Test(arguments: Backend.available) func anItemBecomesAtMostOneObservation(_ backend: Backend) throws {
        let stores = try backend.make()
        _ = try enqueue(stores, 2)
        let items = try claim(stores)
        let processed = items.map { ProcessedItem(item: $0, outcome: .compressed(observation(of: $0), replacing: nil), retryAt: nil) }
        let first = try commit(stores, processed)
        guard case .stored(let o1) = first.effects[0], case .stored(let o2) = first.effects[1] else {
            Issue.record("expected two stored observations, got \(first.effects)"); return
        }
        #expect(o1 != o2)
        #expect(first.events.map(\.type) == ["test.effect", "test.effect"] && first.events.allSatisfy { $0.timestamp != nil })
        // The same results written again (two processors racing, a retry after a crash): still one observation each.
        let second = try commit(stores, processed)
        #expect(second.effects == [.unchanged, .unchanged])
        #expect(try stores.observations.observations(sessionID: "s1", limit: 10).count == 2)
        #expect(try stores.queue.counts() == [.done: 2])
        let session = try #require(try stores.sessions.session("s1"))
        #expect(session.tokensCompressed == 14, "counted once per stored observation")
        #expect(try stores.events.recent(type: "test.effect", limit: 10).count == 4)
    }

    @Test(arguments: Backend.available) func aFallbackIsKeptRawThenUpgradedInPlace(_ backend: Backend) throws {
        let stores = try backend.make()
        _ = try enqueue(stores, 1)
        let item = try #require(try claim(stores).first)
        let deferred = try commit(
            stores,
            [
                ProcessedItem(
                    item: item, outcome: .deferred(observation(of: item), reason: "llm away"),
                    retryAt: Self.t1)
            ])
        guard case .deferred(let stored?) = deferred.effects[0] else { Issue.record("\(deferred.effects)"); return }
        #expect(try stores.queue.counts() == [.raw: 1])
        #expect(try claim(stores, now: Self.later).isEmpty, "raw items wait for a better compressor")
        let raw = try #require(try claim(stores, now: Self.later, lease: "2026-12-01T12:00:00.000Z", includeRaw: true).first)
        let better = observation(of: raw, title: "ran the test suite", compressor: "llm:x")
        let upgrade = try commit(stores, [ProcessedItem(item: raw, outcome: .compressed(better, replacing: "heuristic"), retryAt: nil)])
        #expect(upgrade.effects == [.upgraded])
        let now = try #require(try stores.observations.observation(stored))
        #expect(now.title == "ran the test suite" && now.compressor == "llm:x")
        #expect(try stores.observations.observations(sessionID: "s1", limit: 10).count == 1)
        // A result that may not replace (not asked to, or the stored one is not the fallback) leaves it alone.
        #expect(
            try commit(
                stores,
                [
                    ProcessedItem(
                        item: raw, outcome: .compressed(observation(of: raw), replacing: "heuristic"),
                        retryAt: nil)
                ]
            ).effects == [.unchanged])
        #expect(try stores.observations.observation(stored)?.compressor == "llm:x")
    }

    @Test(arguments: Backend.available) func failuresRetryWhenToldAndStopOtherwise(_ backend: Backend) throws {
        let stores = try backend.make()
        _ = try enqueue(stores, 2)
        let items = try claim(stores)
        let batch = try commit(
            stores,
            [
                ProcessedItem(item: items[0], outcome: .failed("boom"), retryAt: Self.later),
                ProcessedItem(item: items[1], outcome: .failed("boom"), retryAt: nil),
            ])
        #expect(batch.effects == [.failed("boom", final: false), .failed("boom", final: true)])
        #expect(try stores.queue.counts() == [.pending: 1, .failed: 1])
        #expect(try claim(stores, now: Self.t1).isEmpty, "not before its retry time")
        #expect(try claim(stores, now: Self.later, lease: "2026-12-01T12:00:00.000Z").map(\.id) == [items[0].id])
        #expect(try stores.queue.items(sessionID: "s1").first { $0.id == items[1].id }?.error == "boom")
    }

    @Test(arguments: Backend.available) func releasedItemsAreClaimableAsBefore(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try enqueue(stores, 3)
        let items = try claim(stores)
        try commit(stores, [ProcessedItem(item: items[0], outcome: .compressed(observation(of: items[0]), replacing: nil), retryAt: nil)])
        try stores.processing.release(ids)
        #expect(try stores.queue.counts() == [.done: 1, .pending: 2], "a written item is left alone")
        let again = try claim(stores, owner: "other")
        #expect(again.map(\.id) == Array(ids.suffix(2)) && again.allSatisfy { $0.attempts == 1 }, "the attempt was given back")
    }

    @Test(arguments: Backend.available) func newObservationsOweTheirStepsOnce(_ backend: Backend) throws {
        let stores = try backend.make()
        _ = try enqueue(stores, 2)
        let items = try claim(stores)
        let batch = try commit(
            stores,
            items.map {
                ProcessedItem(item: $0, outcome: .compressed(observation(of: $0), replacing: nil), retryAt: nil, owedSteps: ["code", "embedding"])
            })
        let ids = batch.effects.compactMap { effect -> Int64? in
            if case .stored(let id) = effect { return id }; return nil
        }
        let owed = try stores.enrichment.owed(observationIDs: nil, limit: 10)
        #expect(owed == ids.flatMap { [OwedEnrichment(observationID: $0, step: "code"), OwedEnrichment(observationID: $0, step: "embedding")] })
        try commit(
            stores,
            batch.effects.indices.map { i in
                ProcessedItem(item: items[i], outcome: .compressed(observation(of: items[i]), replacing: nil), retryAt: nil, owedSteps: ["code"])
            })
        #expect(try stores.enrichment.owed(observationIDs: nil, limit: 10).count == 4, "an observation already stored owes nothing new")
    }
}
