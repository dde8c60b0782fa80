import EngramModel
import Foundation
import Testing

/// What every `KeywordIndex` promises: the strictest stage that finds anything answers (records holding every term
/// before any-term matches), a common word does not drown a rare one, filters (project with global records, kinds,
/// since) hold before the limit is taken, scores never rise down the list, and the records read back are the ones
/// ranked, named by the same keys the vector store gives.
@Suite struct KeywordIndexConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z"

    struct Seeded {
        var stores: Stores
        var observations: [String: Int64] = [:]
    }

    /// Observations of `project` by title (summary "summary of <title>"), at `createdAt`.
    func observe(
        _ stores: Stores, _ titles: [String], project: String = "/p", session: String = "s1",
        createdAt: String = t0, files: String = "[]"
    ) throws -> [String: Int64] {
        for (i, _) in titles.enumerated() {
            _ = try stores.capture.enqueue(
                NewQueueItem(
                    sessionID: session, project: project, hookType: "PostToolUse", toolName: "Bash",
                    payload: "{\"n\":\(i)}", rawSize: 10), event: EngramEvent("hook.received"), now: createdAt)
        }
        let items = try stores.processing.claim(
            max: titles.count, sessionID: session, includeRaw: false, takeOver: false, owner: "me",
            lease: "2030-01-01T00:00:00.000Z", now: createdAt, isDead: { _ in false })
        #expect(items.count == titles.count)
        let batch = try stores.processing.commit(
            zip(items, titles).map { item, title in
                ProcessedItem(
                    item: item,
                    outcome: .compressed(
                        ObservationRecord(
                            queueId: item.id, sessionId: session, project: project, createdAt: createdAt,
                            hookType: "PostToolUse", toolName: "Bash", title: title,
                            summary: "summary of \(title)", filesTouched: files,
                            compressor: "heuristic"), replacing: nil),
                    retryAt: nil)
            }, now: createdAt, describe: { "\($0)" }, events: { _, _ in [] })
        var out: [String: Int64] = [:]
        for (title, effect) in zip(titles, batch.effects) { if case .stored(let id) = effect { out[title] = id } }
        return out
    }

    func key(_ stores: Stores, _ id: Int64) throws -> Int64 { try #require(try stores.vectors.indexKeys([.observation(id)])[.observation(id)]) }

    func query(_ text: String) throws -> KeywordQuery { try #require(KeywordQuery.parse(text)) }

    @Test(arguments: Backend.available) func recordsHoldingEveryTermComeFirstAndAloneWhenThereAreAny(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try observe(stores, ["refresh the auth token", "refresh the cache", "rotate the token", "unrelated build output"])
        let ranked = try stores.keywords.ranked(try query("refresh token"), filter: RecordFilter(), limit: 10, commonMatches: 2_000)
        #expect(ranked.map(\.key) == [try key(stores, ids["refresh the auth token"]!)], "the all-terms stage answers alone")
        // No record holds both: any record holding either answers, never the unrelated one.
        let either = try stores.keywords.ranked(try query("refresh rotate"), filter: RecordFilter(), limit: 10, commonMatches: 2_000)
        let expected = try ["refresh the auth token", "refresh the cache", "rotate the token"].map { try key(stores, ids[$0]!) }
        #expect(Set(either.map(\.key)) == Set(expected))
        #expect(zip(either, either.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
        #expect(try stores.keywords.ranked(try query("nothing matches this"), filter: RecordFilter(), limit: 10, commonMatches: 2_000).isEmpty)
    }

    @Test(arguments: Backend.available) func aCommonWordDoesNotDrownARareOne(_ backend: Backend) throws {
        let stores = try backend.make()
        let ids = try observe(stores, (0..<12).map { "grep found calls to handler number\($0)" } + ["read pricing apply_discount"])
        let rare = try key(stores, ids["read pricing apply_discount"]!)
        let narrowed = try stores.keywords.ranked(try query("calls apply_discount"), filter: RecordFilter(), limit: 5, commonMatches: 10)
        #expect(narrowed.map(\.key) == [rare], "a word in at least commonMatches records is left out while a rarer one is left")
        let wide = try stores.keywords.ranked(try query("calls apply_discount"), filter: RecordFilter(), limit: 5, commonMatches: 1_000)
        #expect(wide.count == 5 && wide.first?.key == rare, "kept, the common word still ranks below the rare one")
    }

    @Test(arguments: Backend.available) func filtersHoldBeforeTheLimitIsTaken(_ backend: Backend) throws {
        let stores = try backend.make()
        // Many better matches elsewhere: a limit taken before the filter would leave nothing of this project.
        let elsewhere = try observe(stores, (0..<30).map { "deploy deploy deploy the service \($0)" }, project: "/elsewhere", session: "e1")
        let here = try observe(stores, ["deploy notes"], project: "/p", session: "p1", createdAt: "2026-12-02T10:00:00.000Z")
        let global = try observe(stores, ["deploy checklist"], project: "", session: "g1")
        let ranked = try stores.keywords.ranked(try query("deploy"), filter: RecordFilter(project: "/p"), limit: 3, commonMatches: 2_000)
        #expect(
            Set(ranked.map(\.key)) == Set([try key(stores, here["deploy notes"]!), try key(stores, global["deploy checklist"]!)]),
            "the project's records and global ones, none of another project's")
        let recent = try stores.keywords.ranked(
            try query("deploy"), filter: RecordFilter(since: "2026-12-02T00:00:00.000Z"), limit: 3, commonMatches: 2_000)
        #expect(recent.map(\.key) == [try key(stores, here["deploy notes"]!)])
        #expect(try stores.keywords.ranked(try query("deploy"), filter: RecordFilter(kinds: [.learning]), limit: 3, commonMatches: 2_000).isEmpty)
        #expect(
            try stores.keywords.ranked(try query("deploy"), filter: RecordFilter(kinds: [.observation]), limit: 3, commonMatches: 2_000).count == 3)

        let all = try elsewhere.values.map { try key(stores, $0) } + [try key(stores, here["deploy notes"]!)]
        #expect(try stores.keywords.admitted(RecordFilter(project: "/p"), among: all) == [try key(stores, here["deploy notes"]!)])
        #expect(try stores.keywords.admitted(RecordFilter(), among: []).isEmpty)
        #expect(try stores.keywords.admitted(RecordFilter(), among: [987_654_321]).isEmpty, "a key naming no record never passes")
        #expect(try stores.keywords.admitted(RecordFilter(project: "/p"), among: nil).count == 2)
    }

    @Test(arguments: Backend.available) func recordsReadBackAreTheOnesRanked(_ backend: Backend) throws {
        let stores = try backend.make()
        let long = "rotate the signing key " + String(repeating: "and keep going ", count: 30)
        let ids = try observe(stores, [long], files: "[\"app/keys.py\"]")
        #expect(
            try stores.sessions.saveSummary(sessionID: "s1", text: "the session rotated the signing key", event: EngramEvent("summary"), now: Self.t0)
        )
        _ = try stores.learnings.amend(project: "/p") { _ in
            .insert(
                LearningRecord(
                    id: nil, project: "/p", createdAt: Self.t0, updatedAt: Self.t0, category: "convention",
                    content: "rotate the signing key monthly", confidence: 0.75, timesSeen: 1, sourceSessions: "[]",
                    isManual: true, isActive: true), event: { _ in EngramEvent("learning.added") })
        }
        let ranked = try stores.keywords.ranked(try query("signing key"), filter: RecordFilter(project: "/p"), limit: 10, commonMatches: 2_000)
        #expect(ranked.count == 3)
        let short = try stores.keywords.records(ranked.map(\.key), fullBodies: false)
        let full = try stores.keywords.records(ranked.map(\.key), fullBodies: true)
        #expect(Set(short.keys) == Set(ranked.map(\.key)))
        let observationKey = try key(stores, ids[long]!)
        let observation = try #require(short[observationKey])
        #expect(observation.kind == .observation && observation.ref == String(ids[long]!) && observation.sessionID == "s1")
        #expect(observation.files == ["app/keys.py"] && observation.summary == "summary of \(long)" && observation.project == "/p")
        #expect(observation.body.count <= 160 && (full[observationKey]?.body.count ?? 0) > 160)
        let summary = try #require(short.values.first { $0.kind == .summary })
        #expect(summary.ref == "s1" && summary.sessionID == "s1" && summary.summary == "the session rotated the signing key")
        #expect(
            try stores.vectors.indexKeys([VectorKey(kind: .summary, ref: "s1")]).values.contains { short[$0] != nil },
            "the summary's key is the vector store's")
        let learning = try #require(short.values.first { $0.kind == .learning })
        #expect(learning.category == "convention" && learning.confidence == 0.75 && learning.summary == "rotate the signing key monthly")
        #expect(try stores.keywords.records([987_654_321], fullBodies: false).isEmpty)
    }
}
