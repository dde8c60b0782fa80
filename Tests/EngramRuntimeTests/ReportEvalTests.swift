import EngramCore
import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramRuntime

@Suite struct ReportEvalTests {
    let since = ReportTestData.now.addingTimeInterval(-7 * 86400)

    func dashboard(_ store: EngramStore) throws -> EvalDashboard {
        try EvalReportBuilder(reports: store.stores.reports, now: ReportTestData.now).build(
            project: ReportTestData.project, since: since, period: "7d")
    }

    @Test func numbersMatchHandComputedValues() throws {
        let d = try dashboard(try ReportTestData.store())
        // compress.done in 7d for the project: ratios 40, 30, 20; latencies 100, 80, 60.
        #expect(d.compression == .init(count: 3, avgRatio: 30, avgLatencyMs: 80, errors: 1))
        #expect(
            d.compressionByDay == [
                .init(day: "2026-11-20", count: 1, avgRatio: 40, avgLatencyMs: 100),
                .init(day: "2026-11-21", count: 2, avgRatio: 25, avgLatencyMs: 70),
            ])
        #expect(d.context == .init(count: 2, avgTokens: 1850, avgBudget: 2000))
        #expect(d.search.count == 3)
        #expect(d.search.avgLatencyMs == 15)
        #expect(abs((d.search.avgResults ?? 0) - 13.0 / 3.0) < 1e-9)
        // ast.scan: 10 + 5 + 5 edges, 2 + 1 + 1 unresolved.
        #expect(d.ast == .init(source: "ast.scan", callEdges: 20, unresolved: 4, resolutionRate: 0.8))
        // Token-carrying events: two compressions and one summary.
        #expect(d.costs.apiCalls == 3 && d.costs.tokensIn == 4500 && d.costs.tokensOut == 900)
        #expect(abs((d.costs.estimatedCostUSD ?? 0) - 0.007) < 1e-9)
        // Active for the project or global: 6; ≥ 0.85: 0.95, 0.85, 1.0; manual: 1.
        #expect(d.learnings == .init(active: 6, highConfidence: 3, manual: 1))
        // Latest snapshot of each file only (mongo.find() was in a superseded snapshot).
        #expect(
            d.topUnresolvedCalls == [
                .init(callee: "db.query()", occurrences: 2, functions: 2),
                .init(callee: "client.post()", occurrences: 2, functions: 1),
                .init(callee: "cache.get()", occurrences: 1, functions: 1),
            ])
    }

    @Test func resolutionFallsBackToTheCallGraph() throws {
        let store = try ReportTestData.store()
        try store.writer.write { db in try db.execute(sql: "DELETE FROM event_log WHERE event_type = 'ast.scan'") }
        let d = try dashboard(store)
        // Latest snapshots: service 6 edges (2 unresolved), routes 3 (1), tests 3 (2).
        #expect(d.ast.source == "call_graph")
        #expect(d.ast.callEdges == 12 && d.ast.unresolved == 5)
        #expect(abs((d.ast.resolutionRate ?? 0) - 7.0 / 12.0) < 1e-9)
    }

    /// Items set aside after every attempt are shown with their error; a clean store shows no such line.
    @Test func failedItemsAreReportedWithTheirError() throws {
        let store = try ReportTestData.store()
        #expect(try dashboard(store).queue == nil)
        try store.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, payload, status, attempts, error)
                    VALUES ('2026-11-20T10:00:00.000Z', '2026-11-20T10:00:05.000Z', 'sx', ?, 'PostToolUse', '{}', 'failed', 3, 'queue item 9 has an unreadable payload')
                    """, arguments: [ReportTestData.project])
        }
        let d = try dashboard(store)
        #expect(d.queue?.failed == 1 && d.queue?.lastError == "queue item 9 has an unreadable payload")
        let text = EvalRenderer(style: .plain).terminal(d)
        #expect(text.contains("Failed items") && text.contains("unreadable payload"), "\(text)")
    }

    @Test func dashboardMatchesGolden() throws {
        ReportGolden.expectMatches(EvalRenderer(style: .plain).terminal(try dashboard(try ReportTestData.store())), golden: "eval.txt")
    }

    @Test func emptyStoreSaysSo() throws {
        let d = try EvalReportBuilder(reports: try EngramStore.inMemory().stores.reports, now: ReportTestData.now).build(
            project: nil, since: since, period: "7d")
        #expect(d.compression.count == 0 && d.compression.avgRatio == nil && d.ast.source == "none" && d.ast.resolutionRate == nil)
        let text = EvalRenderer().terminal(d)
        #expect(text.contains("nothing compressed"))
        #expect(text.contains("no spend"))
    }

    @Test(arguments: [(999, "999"), (1500, "1.5K"), (4500, "4.5K"), (156_000, "156K"), (2_300_000, "2.3M")])
    func compactNumbers(n: Int, text: String) { #expect(ReportNumbers.compact(n) == text) }

    @Test func groupedNumbers() {
        #expect(ReportNumbers.grouped(1847) == "1,847")
        #expect(ReportNumbers.grouped(1_000_000) == "1,000,000")
        #expect(ReportNumbers.grouped(12) == "12")
    }
}

@Suite struct ReportEvalFileTests {
    /// Search events live in the daily JSONL files only; the dashboard reads them from there.
    @Test func searchStatsComeFromTheEventFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("engram-report-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = [
            // Before the period (own day file), another project, another event type, a broken line, then two that count.
            (
                #"{"data":{"result_count":9},"duration_ms":99,"event_type":"search.query","project":"/projects/shop","timestamp":"2026-11-13T10:00:00.000Z"}"#,
                "2026-11-13"
            ),
            (
                #"{"data":{"result_count":7},"duration_ms":70,"event_type":"search.query","project":"/projects/other","timestamp":"2026-11-20T10:00:00.000Z"}"#,
                "2026-11-20"
            ),
            (
                #"{"data":{},"duration_ms":5,"event_type":"hook.capture","project":"/projects/shop","timestamp":"2026-11-20T10:00:01.000Z"}"#,
                "2026-11-20"
            ),
            (#"{"event_type":"search.query", broken"#, "2026-11-20"),
            (
                #"{"data":{"result_count":3},"duration_ms":12,"event_type":"search.query","project":"/projects/shop","timestamp":"2026-11-20T10:00:02.000Z"}"#,
                "2026-11-20"
            ),
            (
                #"{"data":{"result_count":6},"duration_ms":18,"event_type":"search.query","project":"/projects/shop","timestamp":"2026-11-21T10:00:00.000Z"}"#,
                "2026-11-21"
            ),
        ]
        for (line, day) in lines {
            let url = dir.appendingPathComponent("events-\(day).jsonl")
            let old = FileManager.default.contents(atPath: url.path) ?? Data()
            try (old + Data((line + "\n").utf8)).write(to: url)
        }
        let store = try EngramStore.inMemory()
        let d = try EvalReportBuilder(reports: store.stores.reports, now: ReportTestData.now, logsDir: dir)
            .build(project: ReportTestData.project, since: ReportTestData.now.addingTimeInterval(-7 * 86400), period: "7d")
        #expect(d.search == .init(count: 2, avgLatencyMs: 15, avgResults: 4.5))
    }
}
