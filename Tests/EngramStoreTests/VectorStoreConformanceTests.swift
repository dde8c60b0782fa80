import EngramModel
import Foundation
import Testing

/// What every `VectorStore` promises: a record is pending until a vector of the model asked for is stored, failed
/// ones stay out of the missing list unless retried, a store replaces; index keys are unique across kinds and name
/// their record back; one read sees each done vector once, reads back what it streamed, and any change moves the
/// version.
@Suite struct VectorStoreConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z"

    /// Two observations (session s1) with a summary, and one memory; their keys.
    func seed(_ stores: Stores) throws -> (observations: [VectorKey], summary: VectorKey, memory: VectorKey) {
        for i in 0..<2 {
            _ = try stores.capture.enqueue(
                NewQueueItem(
                    sessionID: "s1", project: "/p", hookType: "PostToolUse", toolName: "Bash",
                    payload: "{\"n\":\(i)}", rawSize: 10), event: EngramEvent("hook.received"), now: Self.t0)
        }
        let items = try stores.processing.claim(
            max: 2, sessionID: nil, includeRaw: false, takeOver: false, owner: "me",
            lease: "2026-12-01T11:00:00.000Z", now: Self.t0, isDead: { _ in false })
        let batch = try stores.processing.commit(
            items.map { item in
                ProcessedItem(
                    item: item,
                    outcome: .compressed(
                        ObservationRecord(
                            queueId: item.id, sessionId: "s1", project: "/p", createdAt: Self.t0,
                            hookType: "PostToolUse", toolName: "Bash", title: "title \(item.id ?? 0)",
                            summary: "summary", compressor: "heuristic"), replacing: nil),
                    retryAt: nil)
            }, now: Self.t0, describe: { "\($0)" }, events: { _, _ in [] })
        let observations = batch.effects.compactMap { effect -> VectorKey? in
            if case .stored(let id) = effect { return .observation(id) }
            return nil
        }
        #expect(try stores.sessions.saveSummary(sessionID: "s1", text: "the session fixed the login", event: EngramEvent("summary"), now: Self.t0))
        let memory = try stores.memories.insert(
            NewMemory(
                project: "/p", createdAt: Self.t0, content: "remember the port is 8080", tags: [],
                metadata: [:], source: nil))
        let number = try #require(memory.number)
        return (observations, VectorKey(kind: .summary, ref: "s1"), .memory(number))
    }

    @Test(arguments: Backend.available) func aRecordIsPendingUntilItsModelsVectorIsStored(_ backend: Backend) throws {
        let stores = try backend.make()
        let seeded = try seed(stores)
        let v = stores.vectors
        let missing = try v.missing(model: "m", kinds: Set(RecordKind.allCases), retryFailed: false, limit: 100)
        #expect(Set(missing.map(\.key)) == Set(seeded.observations + [seeded.summary, seeded.memory]))
        #expect(missing.first { $0.key == seeded.summary }?.text == "the session fixed the login")
        #expect(missing.first { $0.key == seeded.memory }?.text == "remember the port is 8080")
        #expect(
            try v.missing(model: "m", kinds: [.observation], retryFailed: false, limit: 100).map(\.key) == seeded.observations,
            "oldest first, only the kinds asked for")
        #expect(try v.missing(model: "m", kinds: [.observation], retryFailed: false, limit: 1).count == 1)

        try v.store([.vector(seeded.observations[0], [1, 0, 0]), .failed(seeded.observations[1], "bad answer")], model: "m", now: Self.t0)
        #expect(try v.status(seeded.observations[0], model: "m") == .done)
        #expect(try v.status(seeded.observations[0], model: "other") == .pending)
        #expect(try v.status(seeded.observations[1], model: "m") == .failed)
        #expect(try v.status(seeded.summary, model: "m") == .pending)
        #expect(try v.missing(model: "m", kinds: [.observation], retryFailed: false, limit: 100).isEmpty)
        #expect(try v.missing(model: "m", kinds: [.observation], retryFailed: true, limit: 100).map(\.key) == [seeded.observations[1]])
        #expect(try v.missing(model: "other", kinds: [.observation], retryFailed: false, limit: 100).count == 2, "another model's vector is stale")

        // A store replaces; only done vectors of the model asked for come back.
        try v.store([.vector(seeded.observations[0], [0, 1, 0]), .vector(seeded.memory, [0, 0, 1])], model: "m", now: Self.t0)
        #expect(
            try v.vectors(seeded.observations + [seeded.memory, seeded.summary], model: "m") == [
                seeded.observations[0]: [0, 1, 0], seeded.memory: [0, 0, 1],
            ])
        #expect(try v.vectors([seeded.memory], model: "other").isEmpty)
        // A record that does not exist is skipped, not invented.
        try v.store(
            [.vector(.observation(999_999), [1, 1, 1]), .vector(VectorKey(kind: .summary, ref: "nope"), [1, 1, 1])], model: "m", now: Self.t0)
        #expect(
            try v.read { s in
                var n = 0; try s.forEachVector(model: "m") { _, _, _ in n += 1 }; return n
            } == 2)

        try v.drop(kinds: [.observation])
        #expect(try v.status(seeded.observations[0], model: "m") == .pending)
        #expect(try v.status(seeded.memory, model: "m") == .done, "other kinds are kept")
    }

    @Test(arguments: Backend.available) func indexKeysAreUniqueAcrossKindsAndNameTheirRecords(_ backend: Backend) throws {
        let stores = try backend.make()
        let seeded = try seed(stores)
        let all = seeded.observations + [seeded.summary, seeded.memory, VectorKey(kind: .learning, ref: "1")]
        let keys = try stores.vectors.indexKeys(all)
        #expect(keys.count == all.count && Set(keys.values).count == all.count)
        let named = try stores.vectors.records(indexKeys: Array(keys.values))
        #expect(all.allSatisfy { named[keys[$0]!] == $0 })
        #expect(try stores.vectors.indexKeys([VectorKey(kind: .summary, ref: "no-such-session")]).isEmpty)
    }

    @Test(arguments: Backend.available) func oneReadStreamsEachVectorOnceAndReadsBackWhatItStreamed(_ backend: Backend) throws {
        let stores = try backend.make()
        let seeded = try seed(stores)
        let v = stores.vectors
        let before = try v.read { try $0.version() }
        try v.store(
            [.vector(seeded.observations[0], [1, 2, 3]), .vector(seeded.summary, [4, 5, 6]), .vector(seeded.memory, [7, 8, 9])],
            model: "m", now: Self.t0)
        try v.store([.vector(seeded.observations[1], [1, 1]), .failed(seeded.memory, "x")], model: "other", now: Self.t0)
        let afterStore = try v.read { try $0.version() }
        #expect(afterStore != before)
        let keys = try v.indexKeys([seeded.observations[0], seeded.summary])
        let (streamed, dims, hint) = try v.read { s -> ([Int64: (Int64, [Float])], Int?, Int) in
            var out: [Int64: (Int64, [Float])] = [:]
            try s.forEachVector(model: "m") { key, location, buffer in
                #expect(out[key] == nil, "each vector once")
                out[key] = (location, Array(buffer))
            }
            return (out, try s.dimensions(model: "m"), try s.capacityHint())
        }
        // The memory's "m" vector was replaced by another model's failure: only two done vectors of "m" remain.
        #expect(streamed.count == 2 && dims == 3 && hint >= 2)
        #expect(streamed[keys[seeded.observations[0]]!]?.1 == [1, 2, 3] && streamed[keys[seeded.summary]!]?.1 == [4, 5, 6])
        let rows = streamed.map { (location: $0.value.0, indexKey: $0.key) }
        #expect(try v.read { try $0.vectors(at: rows, model: "m") } == streamed.mapValues(\.1))
        #expect(try v.read { try $0.vectors(at: rows, model: "other") }.isEmpty)
        // Replaced: its old location reads back nothing, and the version moves.
        try v.store([.vector(seeded.observations[0], [3, 2, 1])], model: "m", now: Self.t0)
        #expect(try v.read { try $0.version() } != afterStore)
        let back = try v.read { try $0.vectors(at: rows, model: "m") }
        #expect(back[keys[seeded.observations[0]]!] == nil && back[keys[seeded.summary]!] == [4, 5, 6])
        let dropped = try v.read { try $0.version() }
        try v.drop(kinds: [.summary])
        #expect(try v.read { try $0.version() } != dropped)
    }
}
