import Foundation
import Testing

@testable import EngramCore

/// The engine façade uses what it is wired with, for every capability that has a wired part, and falls back to the
/// core's own (keyword search, lexical dedup, heuristic summaries, recency order) when it has none. Edges call only
/// the façade, so a wiring that is dropped here is dropped for every edge at once.
@Suite struct EngineTests {
    /// Records what a wired part was handed.
    final class Recorder<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Value] = []
        func add(_ value: Value) { lock.withLock { values.append(value) } }
        var all: [Value] { lock.withLock { values } }
    }

    struct CountingEmbedder: QueryEmbedder {
        var modelID = "fake-model"
        let asked: Recorder<String>
        func embedQuery(_ text: String) throws -> [Float] {
            asked.add(text)
            return [0, 0, 1]
        }
    }

    struct FixedSummarizer: SessionSummarizing {
        var name = "fixed"
        func summarize(_ digest: SessionDigest) async throws -> String { "Wired summary: \(digest.prompts.joined(separator: "; "))." }
    }

    /// A session with a prompt and two tool calls, captured by the hooks and processed.
    func capturedSession(_ env: TestEnv, session: String = "sess-1") async throws -> Engram {
        let r = env.runner()
        _ = await r.run(event: "session-start", stdin: env.payload("SessionStart", session: session, ["source": "startup"]))
        _ = await r.run(event: "user-prompt-submit", stdin: env.payload("UserPromptSubmit", session: session, ["prompt": "Fix the login redirect"]))
        _ = await r.run(
            event: "post-tool-use",
            stdin: env.toolPayload(
                "Bash", input: ["command": "pytest -q tests/test_login.py"],
                response: ["stdout": "4 passed in 0.2s", "stderr": ""], session: session))
        _ = await r.run(
            event: "post-tool-use",
            stdin: env.toolPayload(
                "Read", input: ["file_path": .string(env.project.path + "/app/login.py")],
                response: ["file": .object(["content": "def login(): pass"])], session: session))
        let engram = try env.engram()
        try await Engine(engram).process()
        return engram
    }

    @Test func searchAsksTheWiredEmbedderUnlessKeywordsAreAskedFor() async throws {
        let env = try TestEnv()
        let engram = try await capturedSession(env)
        let plain = Engine(engram)
        #expect(!plain.canSearchByMeaning)
        #expect(try !plain.search(.init(text: "pytest login", project: env.project.path)).isEmpty)

        let asked = Recorder<String>()
        let wired = Engine(engram, wiring: .init(queryEmbedder: CountingEmbedder(asked: asked)))
        #expect(wired.canSearchByMeaning)
        _ = try wired.search(.init(text: "pytest login", project: env.project.path, mode: .keyword))
        #expect(asked.all.isEmpty, "keyword mode never embeds the query")
        _ = try wired.search(.init(text: "pytest login", project: env.project.path))
        #expect(asked.all == ["pytest login"])
        _ = try wired.searchMemories("deploy notes", project: env.project.path)
        #expect(asked.all == ["pytest login", "deploy notes"], "memory search is by meaning too")
    }

    @Test func learningsAreComparedByTheWiredSimilarity() throws {
        let env = try TestEnv()
        let engram = try env.engram()
        let a = "Run the login tests with pytest -q", b = "Deploys go through the staging cluster first"
        let lexical = Engine(engram)
        guard case .added = try lexical.addLearning(category: "pattern", content: a, project: env.project.path),
            case .added = try lexical.addLearning(category: "pattern", content: b, project: env.project.path)
        else {
            Issue.record("two unrelated lessons are two learnings by default"); return
        }
        let c = "Staging is where every deploy starts", d = "The login suite runs under pytest"
        let alike = Engine(engram, wiring: .init(learningSimilarity: { _, _ in 1 }))
        guard case .reinforced = try alike.addLearning(category: "pattern", content: c, project: env.project.path),
            case .reinforced = try alike.addLearning(category: "pattern", content: d, project: env.project.path)
        else {
            Issue.record("a similarity that calls everything alike reinforces instead of adding"); return
        }
        #expect(try alike.learnings(project: env.project.path).count == 2)
    }

    @Test func theBriefingOrdersObservationsByTheWiredRanker() async throws {
        let env = try TestEnv()
        let engram = try await capturedSession(env)
        let recency = try Engine(engram).briefing(project: env.project.path)
        #expect((recency.layers.first { $0.name == "observations" }?.items ?? 0) > 0)

        let seen = Recorder<(String, Int)>()
        let ranker: Engine.Wiring.ObservationRanker = { project, candidates in
            seen.add((project, candidates.count))
            return [] // ranks everything out: the layer must come out empty
        }
        let ranked = try Engine(engram, wiring: .init(observationRanker: ranker)).briefing(project: env.project.path)
        #expect(seen.all.map(\.0) == [env.project.path])
        #expect((seen.all.first?.1 ?? 0) > 0)
        #expect((ranked.layers.first { $0.name == "observations" }?.items ?? -1) == 0)
    }

    @Test func aSavedMemoryIsHandedToTheWiredEmbedder() throws {
        let env = try TestEnv()
        let embedded = Recorder<(Int64, String)>()
        let engine = Engine(try env.engram(), wiring: .init(memoryEmbedder: { number, text in embedded.add((number, text)) }))
        let memory = try engine.saveMemory(text: "The staging DB is reset every Monday", tags: ["ops"], project: env.project.path, source: "test")
        #expect(embedded.all.map(\.0) == [memory.number].compactMap { $0 })
        #expect(embedded.all.map(\.1) == [memory.content])
        #expect(try engine.memories([memory.number ?? -1]).map(\.content) == [memory.content])
    }

    @Test func finishingASessionSummarizesWithTheWiredSummarizerElseTheHeuristic() async throws {
        let env = try TestEnv()
        let engram = try await capturedSession(env, session: "wired")
        let wired = try await Engine(engram, wiring: .init(summarizer: FixedSummarizer())).finishSession("wired")
        #expect(wired.summary == "Wired summary: Fix the login redirect.")
        #expect(try engram.stores.sessions.session("wired")?.summaryText == wired.summary)

        _ = try await capturedSession(env, session: "plain")
        let plain = try await Engine(engram).finishSession("plain")
        #expect(plain.summary != nil)
        #expect(plain.summary?.hasPrefix("Wired summary") == false)
    }

    @Test func anEngineSeenAtAnotherMomentKeepsItsWiring() throws {
        let env = try TestEnv()
        let engine = Engine(try env.engram(), wiring: .init(queryEmbedder: CountingEmbedder(asked: Recorder())))
        let then = Date(timeIntervalSince1970: 1_790_000_000)
        let past = engine.at(.fixed(then))
        #expect(past.clock.now() == then)
        #expect(past.canSearchByMeaning)
        try past.startSession("earlier", project: env.project.path)
        #expect(try engine.engram.stores.sessions.session("earlier")?.startedAt == Timestamp.format(then))
        #expect(try engine.totals(project: env.project.path).sessions == 1)
    }
}
