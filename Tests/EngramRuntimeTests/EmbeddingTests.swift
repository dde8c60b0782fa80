import EngramCore
import EngramEmbeddings
import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramRuntime

/// Embedding on processing, reindex and the runtime's semantic search, on a tiny random BERT.
@Suite struct EmbeddingTests {
    final class Env: @unchecked Sendable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-emb-\(UUID().uuidString)")
        var project: URL { root.appendingPathComponent("proj") }
        var home: URL { root.appendingPathComponent("home") }
        var env: [String: String] { ["ENGRAM_HOME": home.path, "ENGRAM_EMBEDDINGS_MODEL": "tiny"] }
        init() throws { try FileManager.default.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: root) }

        /// Imports a tiny model as `name` (the configured model is "tiny").
        func installModel(_ name: String = "tiny", seed: UInt64 = 7) throws {
            let src = try EmbeddingTestModel.write(to: root.appendingPathComponent("src-\(name)-\(seed)"), name: "m", seed: seed)
            try ModelStore(root: home.appendingPathComponent("models")).importModel(from: src, name: name)
        }

        func hook(_ file: String) async {
            let payload: JSONValue = [
                "session_id": "s1", "cwd": .string(project.path), "hook_event_name": "PostToolUse",
                "tool_name": "Read", "tool_input": ["file_path": .string(project.appendingPathComponent(file).path)],
                "tool_response": ["type": "text", "file": ["filePath": .string(file), "content": "x = 1\n", "numLines": 1]],
            ]
            let out = await HookRunner(env: env, opener: EngramRuntime.hookOpener).run(event: "post-tool-use", stdin: Data(payload.serialized().utf8))
            #expect(out.diagnostics.isEmpty)
        }

        func statuses(_ e: Engram, model: String = "tiny") throws -> [SQLiteEmbeddings.Status] {
            try e.store.writer.read { db in
                try Int64.fetchAll(db, sql: "SELECT id FROM observations ORDER BY id").map {
                    try SQLiteEmbeddings.status(db, kind: .observation, ref: String($0), model: model)
                }
            }
        }
    }

    @Test func processingEmbedsOnlyWhenOpenedWithEmbeddings() async throws {
        let t = try Env()
        try t.installModel()
        await t.hook("a.py")
        let plain = try EngramRuntime.open(env: t.env)
        #expect(plain.enrichment.count == 1)
        _ = try await QueueProcessor(plain).drain()
        #expect(try t.statuses(plain) == [.pending])

        await t.hook("b.py")
        let embedding = try EngramRuntime.open(env: t.env, embeddings: true)
        #expect(embedding.enrichment.count == 2)
        _ = try await QueueProcessor(embedding).drain()
        #expect(try t.statuses(embedding) == [.pending, .done])
        let vector = try await embedding.store.writer.read { db in try SQLiteEmbeddings.vector(db, kind: .observation, ref: "2", model: "tiny") }
        #expect(vector?.count == 16)
        #expect(abs((vector ?? []).reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
    }

    @Test func withoutAnInstalledModelNothingIsEmbeddedAndSearchIsKeyword() async throws {
        let t = try Env()
        await t.hook("a.py")
        let e = try EngramRuntime.open(env: t.env, embeddings: true)
        #expect(e.enrichment.count == 1)
        #expect(EmbeddingModel.availability(e) == .notInstalled(name: "tiny"))
        _ = try await QueueProcessor(e).drain()
        #expect(try t.statuses(e) == [.pending])
        let service = EngramRuntime.engine(e).searchService()
        #expect(service.queryEmbedder == nil)
        #expect(try service.search(.init(text: "a.py", mode: .semantic)).map(\.id) == ["#1"])
    }

    @Test func reindexFillsEverythingAndReembedsAfterAModelChange() async throws {
        let t = try Env()
        try t.installModel()
        for f in ["a.py", "b.py", "c.py"] { await t.hook(f) }
        let e = try EngramRuntime.open(env: t.env)
        _ = try await QueueProcessor(e).drain()
        try await e.store.writer.write { db in
            try db.execute(sql: "UPDATE sessions SET summary_text = 'fixed the auth bug' WHERE id = 's1'")
            try db.execute(
                sql: "INSERT INTO learnings (created_at, updated_at, category, content) VALUES ('t', 't', 'gotcha', 'refresh the token cache')")
        }
        let encoder = try #require(EmbeddingModel.loadEncoder(e))
        var seen: [(Int, Int)] = []
        let report = try EmbeddingReindexer(engram: e, encoder: encoder, batchSize: 2).run { seen.append(($0, $1)) }
        #expect(report.embedded == 5 && report.failed == 0 && report.remaining == 0)
        #expect(seen.map(\.0) == [0, 2, 4, 5])
        let again = try EmbeddingReindexer(engram: e, encoder: encoder).run()
        #expect(again.embedded == 0)

        // Switching embeddings.model makes every stored vector stale.
        try t.installModel("tiny-2", seed: 99)
        var env2 = t.env
        env2["ENGRAM_EMBEDDINGS_MODEL"] = "tiny-2"
        let e2 = try EngramRuntime.open(env: env2)
        let encoder2 = try #require(EmbeddingModel.loadEncoder(e2))
        #expect(try EmbeddingReindexer(engram: e2, encoder: encoder2).pendingCount(kinds: [.observation], force: false) == 3)
        let changed = try EmbeddingReindexer(engram: e2, encoder: encoder2).run()
        #expect(changed.embedded == 5)
        let models = try await e2.store.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT model FROM embeddings") }
        #expect(models == ["tiny-2"])
        let forced = try EmbeddingReindexer(engram: e2, encoder: encoder2).run(kinds: [.learning], force: true)
        #expect(forced.embedded == 1)
    }

    @Test func runtimeSemanticSearchRanksEveryEmbeddedRecordOnce() async throws {
        let t = try Env()
        try t.installModel()
        for f in ["a.py", "b.py", "c.py"] { await t.hook(f) }
        let e = try EngramRuntime.open(env: t.env, embeddings: true)
        _ = try await QueueProcessor(e).drain()
        let service = EngramRuntime.engine(e).searchService()
        let embedder = try #require(service.queryEmbedder)
        #expect(embedder.modelID == "tiny")
        // A random model's similarities mean nothing: check the plumbing (one hit per record, scores ordered, in range).
        let hits = try service.search(.init(text: "refresh the auth token", project: t.project.path, mode: .semantic))
        #expect(Set(hits.map(\.id)) == ["#1", "#2", "#3"])
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
        #expect(hits.allSatisfy { $0.score <= 1.0001 && $0.score >= -1.0001 && $0.matched == ["semantic"] })
        let hybrid = try service.search(.init(text: "b.py", project: t.project.path))
        #expect(hybrid.first?.id == "#2")
        #expect(hybrid.first?.matched?.contains("keyword") == true)
        #expect(try service.search(.init(text: "b.py", project: "/elsewhere", mode: .semantic)).isEmpty)
    }

    @Test func vectorSearchAnswersFloat32CosinesByDefaultAndByteScoresWithInt8() async throws {
        let t = try Env()
        try t.installModel()
        for f in ["a.py", "b.py", "c.py", "d.py"] { await t.hook(f) }
        let e = try EngramRuntime.open(env: t.env, embeddings: true)
        _ = try await QueueProcessor(e).drain()
        let encoder = try #require(EmbeddingModel.loadEncoder(e))
        let query = try encoder.embedSync(["where is the token refreshed"], kind: .query)[0]
        // The oracle: a float32 index holding the stored vectors, every one scored.
        let stored = try await e.store.writer.read { db in try SQLiteEmbeddings.vectors(db, model: "tiny") }
        var reference = VectorIndex(dimensions: query.count, storage: .float32)
        for (id, v) in stored { try reference.add(id: id, vector: v) }
        let expected = try reference.exhaustiveSearch(query, k: 10).map { ($0.id, Double($0.score)) }
        #expect(expected.count == 4)

        let exact = try EmbeddingQueryEmbedder(encoder: encoder).nearest(query, k: 10, in: e.stores.vectors, accept: { _ in true })
        #expect(exact.map(\.key) == expected.map(\.0))
        #expect(exact.map(\.score) == expected.map(\.1))
        let bytes = try EmbeddingQueryEmbedder(encoder: encoder, int8: true).nearest(query, k: 10, in: e.stores.vectors, accept: { _ in true })
        let byID = Dictionary(uniqueKeysWithValues: expected)
        #expect(bytes.allSatisfy { abs($0.score - (byID[$0.key] ?? 9)) < 0.02 })
        #expect(bytes.contains { $0.score != byID[$0.key] })

        // Re-embedding the best record (a new row in the table) is seen by the next search: it now ranks last.
        let embedder = EmbeddingQueryEmbedder(encoder: encoder)
        _ = try embedder.nearest(query, k: 10, in: e.stores.vectors, accept: { _ in true })
        let best = try #require(expected.first?.0)
        try await e.store.writer.write { db in
            let source = try #require(try SQLiteEmbeddings.missing(db, model: "other").first { $0.ftsRowid == best })
            try SQLiteEmbeddings.save(db, source: source, model: "tiny", vector: query.map { -$0 }, now: e.now)
        }
        let after = try embedder.nearest(query, k: 10, in: e.stores.vectors, accept: { _ in true })
        #expect(after.last?.key == best)
        #expect(abs((after.last?.score ?? 0) + 1) < 1e-5)
        #expect(after.map(\.key).dropLast() == expected.map(\.0).dropFirst())
    }

    @Test func aProcessThatEmbedsSharesItsEncoderWithSearchAndLearnings() async throws {
        struct AlreadyLoaded: EmbeddingEngine {
            var modelID: String { "already-loaded" }
            var dimensions: Int { 16 }
            func embedSync(_ texts: [String], kind: EmbeddingKind) throws -> [[Float]] { texts.map { _ in [Float](repeating: 0.25, count: 16) } }
        }
        let t = try Env()
        try t.installModel()
        var e = try EngramRuntime.open(env: t.env)
        // Nothing wired: the installed model is loaded.
        #expect(EngramRuntime.encoder(e)?.modelID == "tiny")
        // The worker's engine (wired for processing) is reused, not loaded a second time beside it.
        e.enrichment.append(EmbeddingStep(encoder: AlreadyLoaded(), clock: e.clock))
        #expect(EngramRuntime.encoder(e)?.modelID == "already-loaded")
        #expect(EngramRuntime.engine(e).searchService().queryEmbedder?.modelID == "already-loaded")
    }

    @Test func warmUpLoadsTheIndexBeforeAnySearch() async throws {
        let t = try Env()
        try t.installModel()
        for f in ["a.py", "b.py"] { await t.hook(f) }
        let e = try EngramRuntime.open(env: t.env, embeddings: true)
        _ = try await QueueProcessor(e).drain()
        let service = EngramRuntime.engine(e).searchService()
        let embedder = try #require(service.queryEmbedder as? EmbeddingQueryEmbedder)
        let version = try e.stores.vectors.read { try $0.version() }
        #expect(embedder.cache.get(version) == nil)
        try service.warmUp()
        #expect(embedder.cache.get(version)?.count == 2)
        // Keyword-only search has nothing to load.
        try SearchService(e).warmUp()
    }

    @Test func concurrentFirstSearchesBuildTheIndexOnce() async throws {
        let t = try Env()
        try t.installModel()
        let e = try EngramRuntime.open(env: t.env, mode: .pool, embeddings: true)
        // Enough vectors that a load takes a while (20k × 16 floats).
        try await e.store.writer.write { db in
            for i in 1...20_000 {
                let source = SQLiteEmbeddings.Source(kind: .observation, ref: String(i), ftsRowid: Int64(i), text: "")
                try SQLiteEmbeddings.save(db, source: source, model: "tiny", vector: (0..<16).map { Float(($0 * 7 + i) % 13) - 6 }, now: e.now)
            }
        }
        let embedder = EmbeddingQueryEmbedder(encoder: try #require(EmbeddingModel.loadEncoder(e)))
        let store = e.stores.vectors
        // A pool's readers run these at once, as the worker's warm-up and its first searches do.
        DispatchQueue.concurrentPerform(iterations: 8) { _ in _ = try? embedder.preload(store) }
        #expect(embedder.cache.loads == 1)
        #expect(try embedder.preload(store).vectors == 20_000)
    }

    @Test func anUnknownSIMDPathFailsTheVectorSearchClearly() async throws {
        let t = try Env()
        try t.installModel()
        await t.hook("a.py")
        let e = try EngramRuntime.open(env: t.env, embeddings: true)
        _ = try await QueueProcessor(e).drain()
        let encoder = try #require(EmbeddingModel.loadEncoder(e))
        let query = try encoder.embedSync(["a"], kind: .query)[0]
        let bad = EmbeddingQueryEmbedder(encoder: encoder, environment: ["ENGRAM_SIMD": "neon"])
        #expect { try bad.nearest(query, k: 1, in: e.stores.vectors, accept: { _ in true }) } throws: { error in
            (error as? EmbeddingError)?.localizedDescription.contains("ENGRAM_SIMD=neon") == true
        }
        let good = EmbeddingQueryEmbedder(encoder: encoder, environment: ["ENGRAM_SIMD": "baseline"])
        #expect(try good.nearest(query, k: 1, in: e.stores.vectors, accept: { _ in true }).map(\.key).count == 1)
    }

    @Test func learningsSimilarityUsesTheEncoder() throws {
        let t = try Env()
        try t.installModel()
        let e = try EngramRuntime.open(env: t.env)
        let similarity = EmbeddingModel.similarity(try #require(EmbeddingModel.loadEncoder(e)))
        #expect(abs(similarity("refresh the token", "refresh the token") - 1) < 1e-4)
        #expect(similarity("refresh the token", "cache file test") < 0.9999)
    }
}

extension EmbeddingTests {
    @Test func learningsServiceDedupsByEmbeddingWhenAModelIsInstalled() throws {
        let t = try Env()
        // Word order changes nothing lexically, but a position-aware encoder sees different texts.
        let a = "refresh the token cache", b = "cache the token refresh"
        let lexical = EngramRuntime.engine(try EngramRuntime.open(env: t.env), encoder: nil).learningsService
        #expect(abs(lexical.similarity(a, b) - 1) < 1e-9)
        try t.installModel()
        let e = try EngramRuntime.open(env: t.env)
        let semantic = EngramRuntime.engine(e, encoder: nil).learningsService
        #expect(semantic.similarity(a, b) < 0.9999)
        #expect(abs(semantic.similarity(a, a) - 1) < 1e-4)
        let first = try semantic.add(category: "gotcha", content: a, project: nil)
        let again = try semantic.add(category: "gotcha", content: a, project: nil)
        guard case .added(let id) = first, case .reinforced(let same) = again else {
            Issue.record("expected added then reinforced, got \(first) and \(again)"); return
        }
        #expect(id == same)
    }
}

extension EmbeddingTests {
    @Test func briefingRankerOrdersEmbeddedCandidatesBySimilarityToTheLastSummary() async throws {
        let t = try Env()
        try t.installModel()
        // Distinct in-vocabulary words, so the tiny model gives each a different vector.
        for f in ["auth.py", "cache.py", "token.py"] { await t.hook(f) }
        let e = try EngramRuntime.open(env: t.env, embeddings: true)
        _ = try await QueueProcessor(e).drain()
        await t.hook("test.py")
        _ = try await QueueProcessor(EngramRuntime.open(env: t.env)).drain() // #4 stays without a vector
        let encoder = try #require(EmbeddingModel.loadEncoder(e))
        let candidates = try await e.store.writer.read { db in try ObservationRecord.fetchAll(db, sql: "SELECT * FROM observations ORDER BY id") }
        let rank = EmbeddingRelevance.ranker(e, encoder: encoder)
        #expect(try rank(t.project.path, candidates).map(\.id) == candidates.map(\.id)) // no summary yet: unchanged
        let summary = "fixed the auth bug in the session"
        try await e.store.writer.write { db in try db.execute(sql: "UPDATE sessions SET summary_text = ? WHERE id = 's1'", arguments: [summary]) }
        let q = try encoder.embedSync([summary], kind: .query)[0]
        let expected =
            try await e.store.writer.read { db in
                try (1...3).map { id -> (Int64, Float) in
                    let v = try #require(try SQLiteEmbeddings.vector(db, kind: .observation, ref: String(id), model: "tiny"))
                    return (Int64(id), zip(q, v).reduce(Float(0)) { $0 + $1.0 * $1.1 })
                }
            }.sorted { $0.1 > $1.1 }.map(\.0) + [4]
        #expect(try rank(t.project.path, candidates).compactMap(\.id) == expected)
        var builder = ContextBuilder(e)
        builder.observationRanker = rank
        let layer = try #require(try builder.build(project: t.project.path).layers.first { $0.name == "observations" })
        #expect(try rank(t.project.path, candidates.reversed()).compactMap(\.id) == expected)
        let positions = expected.compactMap { layer.text.range(of: "- #\($0) [")?.lowerBound }
        #expect(positions.count == 4 && positions == positions.sorted(), "\(layer.text)")
    }
}

extension EmbeddingTests {
    /// The Stop hook builds a learnings service on every Stop; the model must load only when a learning is compared.
    @Test func learningsSimilarityLoadsTheEncoderOnFirstComparisonOnly() throws {
        let t = try Env()
        try t.installModel()
        let e = try EngramRuntime.open(env: t.env)
        let loads = LoadCounter()
        let similarity = EmbeddingModel.similarity(loading: {
            loads.count(); return EmbeddingModel.loadEncoder(e)
        })
        #expect(loads.value == 0)
        #expect(similarity("refresh the token cache", "cache the token refresh") < 0.9999, "compared by the encoder")
        _ = similarity("a", "b")
        #expect(loads.value == 1)
        let none = EmbeddingModel.similarity(loading: { nil })
        #expect(abs(none("refresh the token cache", "cache the token refresh") - 1) < 1e-9, "lexical without an encoder")
    }
}

private final class LoadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    func count() { lock.lock(); n += 1; lock.unlock() }
}
