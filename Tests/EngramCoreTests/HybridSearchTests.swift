import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

/// A query embedder that maps chosen words to chosen vectors: semantic plumbing without a model.
struct FakeQueryEmbedder: QueryEmbedder {
    var modelID = "fake-model"
    var vectors: [String: [Float]]
    func embedQuery(_ text: String) throws -> [Float] { vectors[text] ?? [0, 0, 1] }
}

@Suite struct HybridSearchTests {
    @Test func fusionAddsReciprocalRanksAcrossLists() {
        let fused = HybridSearch.fuse([("keyword", 1, [1, 2, 3]), ("semantic", 1, [3, 1, 4])], k: 60)
        // 1: 1/61 + 1/62, 3: 1/63 + 1/61, 2: 1/62, 4: 1/63
        #expect(fused.map(\.key) == [1, 3, 2, 4])
        #expect(abs(fused[0].score - (1.0 / 61 + 1.0 / 62)) < 1e-12)
        #expect(fused[0].lists == ["keyword", "semantic"])
        #expect(fused[2].lists == ["keyword"])
        #expect(fused[3].lists == ["semantic"])
    }

    @Test func fusionWeightsShiftTheOrder() {
        // 3: 1/63 + 3/61 = 0.06505 beats 1: 1/61 + 3/62 = 0.06478 once the semantic list weighs 3.
        let fused = HybridSearch.fuse([("keyword", 1, [1, 2, 3]), ("semantic", 3, [3, 1, 4])], k: 60)
        #expect(fused.map(\.key) == [3, 1, 4, 2])
    }

    @Test func fusionOfEmptyListsIsEmptyAndTiesKeepFirstAppearance() {
        #expect(HybridSearch.fuse([("keyword", 1, []), ("semantic", 1, [])], k: 60).isEmpty)
        #expect(HybridSearch.fuse([("keyword", 1, [7]), ("semantic", 1, [9])], k: 60).map(\.key) == [7, 9])
    }

    @Test func vectorsRoundTripAsLittleEndianFloat32() {
        let v: [Float] = [1, -2.5, .pi, 0, 1e-30]
        let data = SQLiteEmbeddings.encode(v)
        #expect(data.count == 20)
        #expect(Array(data.prefix(4)) == [0x00, 0x00, 0x80, 0x3F])
        #expect(SQLiteEmbeddings.decode(data) == v)
    }

    @Test func migrationFromV1LeavesExistingRecordsPending() throws {
        let queue = try DatabaseQueue()
        let migrator = Schema.migrator()
        try migrator.migrate(queue, upTo: "v1-core")
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO sessions (id, project, started_at, updated_at, summary_text) VALUES ('s1', '/p', 't', 't', 'did things')")
            try db.execute(
                sql:
                    "INSERT INTO observations (session_id, project, created_at, hook_type, title, summary) VALUES ('s1', '/p', 't', 'PostToolUse', 'Edited a.py', 'added f')"
            )
            try db.execute(sql: "INSERT INTO learnings (created_at, updated_at, category, content) VALUES ('t', 't', 'gotcha', 'tabs not spaces')")
        }
        try migrator.migrate(queue)
        try queue.read { db in
            #expect(try migrator.appliedIdentifiers(db).contains("v2-vectors"))
            let missing = try SQLiteEmbeddings.missing(db, model: "m")
            #expect(missing.map(\.kind) == [.observation, .summary, .learning])
            #expect(missing.map(\.ftsRowid) == [4, 5, 6])
            #expect(missing[0].text == "Edited a.py. added f")
            #expect(try SQLiteEmbeddings.status(db, kind: .observation, ref: "1", model: "m") == .pending)
        }
    }

    @Test func aModelChangeMakesVectorsPendingAgainAndEditsDropThem() throws {
        let (env, e) = try seeded()
        _ = env
        try e.store.writer.write { db in
            let src = try #require(SQLiteEmbeddings.missing(db, model: "a", kinds: [.observation]).first)
            try SQLiteEmbeddings.save(db, source: src, model: "a", vector: [1, 0, 0], now: "t")
            #expect(try SQLiteEmbeddings.status(db, kind: .observation, ref: src.ref, model: "a") == .done)
            #expect(try SQLiteEmbeddings.status(db, kind: .observation, ref: src.ref, model: "b") == .pending)
            #expect(try !SQLiteEmbeddings.missing(db, model: "a").contains(src))
            #expect(try SQLiteEmbeddings.missing(db, model: "b").contains(src))
            try SQLiteEmbeddings.markFailed(db, source: src, model: "a", error: "x", now: "t")
            #expect(try SQLiteEmbeddings.status(db, kind: .observation, ref: src.ref, model: "a") == .failed)
            #expect(try !SQLiteEmbeddings.missing(db, model: "a").contains(src))
            #expect(try SQLiteEmbeddings.missing(db, model: "a", retryFailed: true).contains(src))
            try SQLiteEmbeddings.save(db, source: src, model: "a", vector: [1, 0, 0], now: "t")
            try db.execute(sql: "UPDATE observations SET title = 'changed' WHERE id = ?", arguments: [src.ref])
            #expect(try SQLiteEmbeddings.status(db, kind: .observation, ref: src.ref, model: "a") == .pending)
        }
    }

    /// Observations #1 "automobile engine repair" and #2 "cache eviction policy" in project p, #3 "automobile
    /// insurance" in another project; vectors put #1 and #3 next to the query "car".
    func seeded() throws -> (TestEnv, Engram) {
        let env = try TestEnv()
        let e = try env.engram()
        let p = env.project.path
        try e.store.writer.write { db in
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s1', ?, 't', 't')", arguments: [p])
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s2', '/other', 't', 't')")
            for (s, proj, title) in [
                ("s1", p, "automobile engine repair"), ("s1", p, "cache eviction policy"), ("s2", "/other", "automobile insurance"),
            ] {
                try db.execute(
                    sql:
                        "INSERT INTO observations (session_id, project, created_at, hook_type, title, summary) VALUES (?, ?, '2026-11-20T10:00:00.000Z', 'PostToolUse', ?, 'notes')",
                    arguments: [s, proj, title])
            }
            let vectors: [[Float]] = [[1, 0, 0], [0, 1, 0], [0.9, 0.1, 0]]
            for (src, v) in zip(try SQLiteEmbeddings.missing(db, model: "fake-model"), vectors) {
                try SQLiteEmbeddings.save(db, source: src, model: "fake-model", vector: v, now: "t")
            }
        }
        return (env, e)
    }

    @Test func semanticModeFindsWhatKeywordsCannot() throws {
        let (env, e) = try seeded()
        let embedder = FakeQueryEmbedder(vectors: ["car": [1, 0, 0]])
        let q = SearchService.Query(text: "car", project: env.project.path, mode: .semantic)
        #expect(try SearchService(e).search(q).isEmpty) // no embedder → keyword, and "car" is in no text
        let hits = try SearchService(e, queryEmbedder: embedder).search(q)
        #expect(hits.map(\.id) == ["#1", "#2"]) // #3 is another project's
        #expect(hits[0].title == "automobile engine repair")
        #expect(hits[0].matched == ["semantic"])
        #expect(abs(hits[0].score - 1) < 1e-6)
        let everywhere = try SearchService(e, queryEmbedder: embedder).search(.init(text: "car", mode: .semantic))
        #expect(everywhere.map(\.id) == ["#1", "#3", "#2"])
    }

    @Test func hybridFusesBothListsAndSaysWhichMatched() throws {
        let (env, e) = try seeded()
        let embedder = FakeQueryEmbedder(vectors: ["cache": [0.6, 0.8, 0], "eviction": [0, 0, 1]])
        let service = SearchService(e, queryEmbedder: embedder)
        #expect(service.effectiveMode(.init(text: "x")) == .hybrid)
        #expect(SearchService(e).effectiveMode(.init(text: "x", mode: .semantic)) == .keyword)
        let hits = try service.search(.init(text: "cache", project: env.project.path))
        // #2 is rank 1 in both lists (cosine 0.8); #1 semantic rank 2 only (cosine 0.6).
        #expect(hits.map(\.id) == ["#2", "#1"])
        #expect(hits[0].matched == ["keyword", "semantic"])
        #expect(hits[1].matched == ["semantic"])
        #expect(abs(hits[0].score - 2.0 / 61) < 1e-9)
        #expect(abs(hits[1].score - 1.0 / 62) < 1e-9)
        // Neighbours below the floor (all cosines 0 here) do not pad the list.
        let unrelated = try service.search(.init(text: "eviction", project: env.project.path))
        #expect(unrelated.map(\.id) == ["#2"])
        #expect(unrelated[0].matched == ["keyword"])
    }

    @Test func keywordModeIsUnchangedByAnEmbedder() throws {
        let (env, e) = try seeded()
        let q = SearchService.Query(text: "eviction", project: env.project.path, mode: .keyword)
        let plain = try SearchService(e).search(q)
        let withEmbedder = try SearchService(e, queryEmbedder: FakeQueryEmbedder(vectors: [:])).search(q)
        #expect(plain == withEmbedder)
        #expect(plain.map(\.id) == ["#2"])
        #expect(plain[0].matched == nil)
    }
}
