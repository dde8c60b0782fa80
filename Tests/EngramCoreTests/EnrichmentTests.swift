import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

/// Counts what an enrichment step prepared, per observation.
final class StepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var prepared: [Int64: Int] = [:]
    func prepare(_ id: Int64) { lock.withLock { prepared[id, default: 0] += 1 } }
    var preparedCount: Int { lock.withLock { prepared.values.reduce(0, +) } }
}

/// A step that stores a marker event per observation (data: the observation's id); `during` runs inside `prepare`,
/// outside any transaction.
struct MarkingStep: EnrichmentStep {
    let log: StepLog
    var failures = 0
    var during: @Sendable (Int64) throws -> Void = { _ in }
    var name: String { "mark" }
    struct Boom: Error, CustomStringConvertible { var description: String { "the provider fell over" } }
    func applies(to observation: ObservationRecord, event: ToolEvent) -> Bool { true }
    func prepare(_ observation: ObservationRecord, event: ToolEvent) async throws -> Enrichment? {
        let id = try #require(observation.id)
        log.prepare(id)
        if log.preparedCount <= failures { throw Boom() }
        try during(id)
        return .events([EngramEvent("test.mark", .number(Double(id)))])
    }
}

@Suite struct EnrichmentTests {
    func enqueue(_ env: TestEnv, _ n: Int) async throws {
        for i in 0..<n {
            let out = await env.runner().run(
                event: "post-tool-use",
                stdin: env.toolPayload(
                    "Bash", input: ["command": .string("echo \(i)")],
                    response: ["stdout": .string("\(i)")]))
            #expect(out.diagnostics.isEmpty)
        }
    }

    func owed(_ e: Engram) throws -> Int { try e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM enrichment_pending")! } }
    func marks(_ e: Engram) throws -> Int {
        try e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event_log WHERE event_type = 'test.mark'")! }
    }

    /// The slow part of enrichment (a provider that takes seconds) holds no lock: while it runs, another connection
    /// that refuses to wait at all (busy timeout 0, as a hook would be if it could not wait) writes to the store.
    /// With the old in-transaction observers that write failed with SQLITE_BUSY.
    @Test func enrichmentRunsOutsideTheWriteTransaction() async throws {
        let env = try TestEnv()
        try await enqueue(env, 6)
        let e = try env.engram()
        var config = Configuration()
        config.busyMode = .immediateError
        let other = try DatabaseQueue(path: e.paths.database.path, configuration: config)
        let log = StepLog()
        var p = QueueProcessor(e)
        p.batchSize = 2
        p.enrichment = [
            MarkingStep(
                log: log,
                during: { id in
                    try other.write { db in
                        try db.execute(
                            sql: "INSERT INTO event_log (timestamp, event_type, data) VALUES ('2026-01-01T00:00:00.000Z', 'test.other', ?)",
                            arguments: [String(id)])
                    }
                })
        ]
        let stats = try await p.drain()
        #expect(stats.processed == 6)
        #expect(try marks(e) == 6 && owed(e) == 0)
        let others = try await e.store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event_log WHERE event_type = 'test.other'")!
        }
        #expect(others == 6)
    }

    /// Owed steps survive a crash between the observation's commit and the step: the next run finds and applies them.
    @Test func aStepInterruptedByACrashIsDoneByTheNextRun() async throws {
        let env = try TestEnv()
        try await enqueue(env, 5)
        let e = try env.engram()
        let log = StepLog()
        var crashing = QueueProcessor(e)
        // Dies in `prepare` of its first step, as a killed process would: nothing after the batch's commit ran.
        crashing.enrichment = [MarkingStep(log: log, during: { _ in throw CancellationError() })]
        _ = try? await crashing.drain()
        #expect(try counts(e) == 5)
        #expect(try owed(e) > 0 && marks(e) == 0)
        var next = QueueProcessor(e)
        next.enrichment = [MarkingStep(log: log)]
        _ = try await next.drain()
        #expect(try owed(e) == 0 && marks(e) == 5)
    }

    func counts(_ e: Engram) throws -> Int { try e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM observations")! } }

    /// Two enrichers racing over the same owed rows both prepare, but each step is applied once per observation.
    @Test func racingEnrichersApplyEachStepOnce() async throws {
        let env = try TestEnv()
        try await enqueue(env, 12)
        let e = try env.engram()
        // Store the observations with the step owed, without running it.
        var p = QueueProcessor(e)
        let log = StepLog()
        p.enrichment = [MarkingStep(log: log, during: { _ in throw CancellationError() })]
        _ = try? await p.drain()
        let before = try owed(e)
        #expect(before == 12)
        let enricher = Enricher(e, steps: [MarkingStep(log: log)])
        async let a = enricher.run()
        async let b = enricher.run()
        let applied = try await a + b
        #expect(applied == before)
        let perObservation = try await e.store.writer.read { db in
            try Int.fetchAll(db, sql: "SELECT count(*) FROM event_log WHERE event_type = 'test.mark' GROUP BY data")
        }
        #expect(perObservation.count == before && perObservation.allSatisfy { $0 == 1 })
        #expect(try marks(e) == before && owed(e) == 0)
    }

    /// A step that keeps failing is retried, then dropped with its error logged; the observations and the queue are
    /// never held back by it.
    @Test func aFailingStepIsRetriedThenDroppedWithoutBlockingTheQueue() async throws {
        let env = try TestEnv()
        try await enqueue(env, 3)
        let e = try env.engram()
        let log = StepLog()
        var p = QueueProcessor(e)
        p.enrichment = [MarkingStep(log: log, failures: 1_000)]
        let stats = try await p.drain()
        #expect(stats.processed == 3)
        let attempts = try await e.store.writer.read { db in try Int.fetchAll(db, sql: "SELECT attempts FROM enrichment_pending") }
        #expect(attempts == [1, 1, 1])
        let enricher = Enricher(e, steps: [MarkingStep(log: log, failures: 1_000)])
        try await enricher.run()
        try await enricher.run()
        #expect(try owed(e) == 0 && marks(e) == 0)
        let errors = try await e.store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT data FROM event_log WHERE event_type = 'enrich.error'")
        }
        #expect(errors.count == 9 && errors.allSatisfy { $0.contains("the provider fell over") })
        // Forgetting an observation drops what it still owed.
        var again = QueueProcessor(e)
        again.enrichment = [MarkingStep(log: log, during: { _ in throw CancellationError() })]
        try await enqueue(env, 1)
        _ = try? await again.drain()
        #expect(try owed(e) == 1)
        try await e.store.writer.write { db in try db.execute(sql: "DELETE FROM observations") }
        #expect(try owed(e) == 0)
    }

    /// v3-enrichment from the previous version: existing observations are kept and owe nothing (their snapshots and
    /// vectors were made in their own write, or are the reindexer's to backfill), so nothing is redone on upgrade.
    @Test func migratingFromThePreviousVersionKeepsRowsAndOwesNothing() throws {
        let queue = try DatabaseQueue()
        let migrator = Schema.migrator()
        try migrator.migrate(queue, upTo: "v2-vectors")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s1', '/p', 't', 't');
                    INSERT INTO observations (session_id, project, created_at, hook_type, title, summary)
                    VALUES ('s1', '/p', '2026-01-01T00:00:00.000Z', 'PostToolUse', 'kept title', 'kept');
                    """)
        }
        try migrator.migrate(queue)
        let (applied, observations, owed) = try queue.read { db in
            (
                try migrator.appliedIdentifiers(db), try Int.fetchOne(db, sql: "SELECT count(*) FROM observations"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM enrichment_pending")
            )
        }
        #expect(applied.contains("v3-enrichment"))
        #expect(observations == 1 && owed == 0)
    }
}
