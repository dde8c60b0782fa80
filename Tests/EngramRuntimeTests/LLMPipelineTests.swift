import EngramAI
import EngramCore
import EngramTestSupport
import Foundation
import Testing

@testable import EngramRuntime

/// The LLM stages against the fake server: compression with fallback and later upgrade,
/// summaries and learnings, usage in event_log.
@Suite struct LLMPipelineTests {
    @Test func compressesWithTheModelAndRecordsUsage() async throws {
        let llm = try FakeLLM(); defer { llm.stop() }
        let t = try RuntimeEnv(llm.env("anthropic_observation_success"))
        let (engram, services) = try EngramRuntime.openForWorker(env: t.env)
        let label = try #require(services?.label)
        #expect(label == "anthropic:claude-haiku-4-5")
        try t.enqueue(engram, session: "s1", commands: ["pytest tests/test_auth.py"])
        let stats = try await QueueProcessor(engram).drain()
        #expect(stats.processed == 1)
        #expect(try t.text(engram, "SELECT title FROM observations") == "Added JWT refresh endpoint")
        #expect(try t.text(engram, "SELECT compressor FROM observations") == "llm:claude-haiku-4-5")
        #expect(try t.scalar(engram, "SELECT COUNT(*) FROM event_log WHERE event_type = 'compress.start'") == 1)
        #expect(try t.scalar(engram, "SELECT tokens_in + tokens_out FROM event_log WHERE event_type = 'llm.usage'") == 1183 + 164)
        let day = String(Timestamp.format(Date()).prefix(10))
        let ledger = EventLogUsageLedger(engram)
        let used = try await ledger.tokensUsed(on: TokenBudget(dailyLimit: 1, ledger: ledger).day(for: Date()))
        #expect(used == 1347)
        #expect(try await ledger.tokensUsed(on: "1999-01-01") == 0)
        _ = day
    }

    @Test func anUnreachableModelKeepsItemsRawWithTheHeuristicResultThenUpgradesThemInPlace() async throws {
        // A port nobody listens on: connection refused, as when the API is down.
        let closed = try RuntimeEnv([
            "ENGRAM_LLM_PROVIDER": "anthropic", "ENGRAM_LLM_BASE_URL": "http://127.0.0.1:9/down",
            "ANTHROPIC_API_KEY": ["sk", "ant", "test", "down"].joined(separator: "-"), "ENGRAM_LLM_MAX_RETRIES": "0",
        ])
        let (down, _) = try EngramRuntime.openForWorker(env: closed.env)
        try closed.enqueue(down, session: "s1", commands: ["echo hello-raw"])
        let first = try await QueueProcessor(down).drain()
        #expect(first.deferred == 1)
        #expect(try closed.text(down, "SELECT status FROM pending_queue") == "raw")
        #expect(try closed.text(down, "SELECT compressor FROM observations") == "heuristic")
        #expect(try SearchService(down).search(.init(text: "hello-raw")).count == 1, "searchable while raw")
        // The heuristic-only path (hooks, `engram process`) leaves raw items for the model.
        #expect(try await QueueProcessor(down.with(compressor: HeuristicCompressor())).drain().total == 0)

        // The API is back: the raw item is upgraded, still one observation.
        let llm = try FakeLLM(); defer { llm.stop() }
        var upEnv = closed.env
        for (k, v) in llm.env("anthropic_observation_success") { upEnv[k] = v }
        let (up, _) = try EngramRuntime.openForWorker(env: upEnv)
        try await up.store.writer.write { try $0.execute(sql: "UPDATE pending_queue SET next_attempt_at = NULL") }
        let second = try await QueueProcessor(up).drain()
        #expect(second.upgraded == 1)
        #expect(try closed.text(up, "SELECT status FROM pending_queue") == "done")
        #expect(try closed.scalar(up, "SELECT COUNT(*) FROM observations") == 1)
        #expect(try closed.text(up, "SELECT compressor FROM observations") == "llm:claude-haiku-4-5")
        #expect(try SearchService(up).search(.init(text: "refresh endpoint")).count == 1, "the index follows the upgrade")
    }

    @Test func unusableModelOutputKeepsTheHeuristicResultForGood() async throws {
        let llm = try FakeLLM(); defer { llm.stop() }
        let t = try RuntimeEnv(llm.env("anthropic_observation_prose"))
        let (engram, _) = try EngramRuntime.openForWorker(env: t.env)
        try t.enqueue(engram, session: "s1", commands: ["ls -la"])
        let stats = try await QueueProcessor(engram).drain()
        #expect(stats.processed == 1 && stats.deferred == 0)
        #expect(try t.text(engram, "SELECT status FROM pending_queue") == "done")
        #expect(
            try t.text(engram, "SELECT compressor FROM observations") == "llm:claude-haiku-4-5",
            "the processor records the compressor it ran; the stored text is the heuristic's")
        #expect(try t.scalar(engram, "SELECT COUNT(*) FROM event_log WHERE event_type = 'compress.error'") == 1)
        #expect(try t.text(engram, "SELECT title FROM observations")?.contains("ls") == true)
    }

    @Test func sessionEndSummarizesAndExtractsLearningsWithTheModel() async throws {
        let llm = try FakeLLM(); defer { llm.stop() }
        let t = try RuntimeEnv()
        let plain = try t.engram()
        try t.enqueue(plain, session: "s1", commands: ["pytest -q"])
        try CaptureService(plain).recordPrompt(sessionID: "s1", project: t.project.path, prompt: "add a refresh-token flow")
        try await QueueProcessor(plain).drain()
        var env = t.env
        for (k, v) in llm.env("anthropic_summary_then_learnings") { env[k] = v }
        let (engram, services) = try EngramRuntime.openForWorker(env: env)
        let summary = try await EngramRuntime.engine(engram, encoder: nil, llm: services).finishSession("s1").summary
        #expect(summary?.hasPrefix("Asked: add a refresh-token flow") == true)
        let learnings = try LearningsService(engram).list(project: t.project.path)
        #expect(learnings.contains { $0.category == "convention" && $0.content.contains("HttpOnly cookies") })
        #expect(learnings.contains { $0.category == "architecture" }, "category case is normalised")
        #expect(try t.scalar(engram, "SELECT COUNT(*) FROM event_log WHERE event_type = 'learning.extracted'") == learnings.count)
    }

    @Test func withoutAModelTheSummaryAndLearningsComeFromHeuristics() async throws {
        let t = try RuntimeEnv()
        let engram = try t.engram()
        #expect(LLMServices.make(for: engram, env: t.env) == nil)
        #expect(LLMServices.configuration(config: engram.config, env: ["ENGRAM_LLM_PROVIDER": "auto"]) == nil, "auto without keys: heuristics")
        for (i, session) in ["a", "b"].enumerated() {
            try t.enqueue(engram, session: session, commands: ["swift build", "swift test --filter X", "pip install requests==2.31 -q", "echo \(i)"])
            let summary = try await EngramRuntime.engine(engram, encoder: nil).finishSession(session).summary
            #expect(summary != nil)
        }
        let learnings = try LearningsService(engram).list(project: t.project.path)
        #expect(Set(learnings.map(\.content)) == ["Tests are run with `swift test`.", "The project uses the pip package `requests`."])
    }
}
