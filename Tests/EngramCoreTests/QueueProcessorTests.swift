import Foundation
import GRDB
import Testing

@testable import EngramCore

/// Fails the first `failures` calls for each tool event, then succeeds.
actor FlakyCounter {
    var calls: [String: Int] = [:]
    func next(_ key: String) -> Int { calls[key, default: 0] += 1; return calls[key]! }
}

struct FlakyCompressor: Compressor {
    let failures: Int
    let counter = FlakyCounter()
    struct Boom: Error, CustomStringConvertible { var description: String { "model unavailable" } }
    func compress(_ event: ToolEvent) async throws -> CompressedObservation {
        let key = event.input.serialized()
        if await counter.next(key) <= failures { throw Boom() }
        return HeuristicCompressor().compressSync(event)
    }
}

/// Lets a test see whether compressing one batch overlaps writing the one before.
final class OverlapProbe: @unchecked Sendable {
    let secondBatchStarted = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Bool?
    /// Whether the first write saw the second batch's compression begin (nil: no write waited yet).
    var overlapped: Bool? { lock.withLock { result } }
    /// Called for each stored observation; the first one waits, at most 10 s, for the signal.
    func firstStoreWaits() {
        let first = lock.withLock { result == nil }
        guard first else { return }
        let seen = secondBatchStarted.wait(timeout: .now() + 10) == .success
        lock.withLock { result = seen }
    }
}

struct SignallingCompressor: Compressor {
    let probe: OverlapProbe
    let command: String
    func compress(_ event: ToolEvent) async throws -> CompressedObservation {
        if event.input["command"]?.stringValue == command { probe.secondBatchStarted.signal() }
        return HeuristicCompressor().compressSync(event)
    }
}

/// Holds the first batch's enrichment (part of its write task) until the second batch's compression starts.
struct WaitingStep: EnrichmentStep {
    let probe: OverlapProbe
    var name: String { "wait" }
    func applies(to observation: ObservationRecord, event: ToolEvent) -> Bool { true }
    func prepare(_ observation: ObservationRecord, event: ToolEvent) async throws -> Enrichment? { probe.firstStoreWaits(); return nil }
}

extension TestEnv {
    /// Makes the store refuse the observation of the item whose command is `command`, as a constraint would: the
    /// failure comes from SQLite inside the batch's write, not from a seam of engram's.
    func refuseObservation(of command: String, in e: Engram) throws {
        try e.store.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse BEFORE INSERT ON observations WHEN NEW.title LIKE '%' || ? || '%'
                    BEGIN SELECT RAISE(ABORT, 'cannot store the item'); END
                    """.replacingOccurrences(of: "?", with: "'\(command)'"))
        }
    }
}

@Suite struct QueueProcessorTests {
    func enqueue(_ env: TestEnv, _ n: Int, session: String = "sess-1") async throws {
        for i in 0..<n {
            let out = await env.runner().run(
                event: "post-tool-use",
                stdin: env.toolPayload(
                    "Bash", input: ["command": .string("echo \(i)")],
                    response: ["stdout": .string("\(i)")], session: session))
            #expect(out.diagnostics.isEmpty)
        }
    }

    func counts(_ e: Engram) throws -> (obs: Int, done: Int, pending: Int, failed: Int) {
        try e.store.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM observations")!,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status = 'done'")!,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status = 'pending'")!,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status = 'failed'")!
            )
        }
    }

    @Test func eachItemBecomesExactlyOneObservation() async throws {
        let env = try TestEnv()
        try await enqueue(env, 25)
        let e = try env.engram()
        let first = try await QueueProcessor(e).drain()
        #expect(first.processed == 25)
        let again = try await QueueProcessor(e).drain()
        #expect(again.processed == 0)
        let c = try counts(e)
        #expect(c.obs == 25 && c.done == 25)
        let obs = try await e.store.writer.read { db in try ObservationRecord.fetchAll(db, sql: "SELECT * FROM observations ORDER BY id") }
        #expect(Set(obs.compactMap(\.queueId)).count == 25)
        #expect(obs.allSatisfy { $0.toolName == "Bash" && $0.rawSizeBytes ?? 0 > 0 && $0.compressedTokens ?? 0 > 0 })
    }

    /// Draining is pipelined: batches are written in claim order, a limit claims no more than it processes, and
    /// the next batch is compressed while the one before it is being written. The observer holds the first
    /// batch's write open until the compressor has started on the second batch's first item: run one after
    /// the other, that never happens and the wait runs out.
    @Test func batchesAreCompressedWhileTheOneBeforeIsWrittenAndWrittenInOrder() async throws {
        let env = try TestEnv()
        try await enqueue(env, 23)
        let e = try env.engram()
        let probe = OverlapProbe()
        var p = QueueProcessor(e, compressor: SignallingCompressor(probe: probe, command: "echo 4"))
        p.batchSize = 4
        p.enrichment = [WaitingStep(probe: probe)]
        let first = try await p.drain(limit: 17)
        #expect(first.processed == 17)
        #expect(probe.overlapped == true, "the second batch was not compressed while the first was being written")
        let c = try counts(e)
        #expect(c.obs == 17 && c.done == 17 && c.pending == 6, "\(c)")
        let rest = try await QueueProcessor(e).drain()
        #expect(rest.processed == 6)
        let order = try await e.store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT queue_id FROM observations ORDER BY id") }
        #expect(order == order.sorted() && order.count == 23)
    }

    /// An item that cannot be stored (the store refuses its row inside the write, as a broken code snapshot's key
    /// once did) is charged its attempt and set aside; the items beside it in the batch and behind it are stored. After
    /// `processing.max_attempts` it ends `failed` with its error kept, and processing never stalls on it.
    @Test func anItemThatCannotBeStoredIsChargedAndSetAsideNotBlockingOthers() async throws {
        let env = try TestEnv()
        env.env["ENGRAM_PROCESSING_MAX_ATTEMPTS"] = "2"
        try await enqueue(env, 10)
        let clockBox = ClockBox(Date())
        let e = try env.engram(clock: clockBox.clock)
        try env.refuseObservation(of: "echo 3", in: e)
        var p = QueueProcessor(e)
        p.batchSize = 4
        let first = try await p.drain()
        #expect(first.processed == 9 && first.retried == 1, "\(first)")
        let row = try await e.store.writer.read { db in try QueueItem.fetchOne(db, sql: "SELECT * FROM pending_queue WHERE status = 'pending'") }
        #expect(row?.attempts == 1)
        #expect(row?.error?.contains("cannot store the item") == true, "\(row?.error ?? "no error")")
        clockBox.set(Date().addingTimeInterval(1000))
        let second = try await p.drain()
        #expect(second.failed == 1)
        let c = try counts(e)
        #expect(c.obs == 9 && c.done == 9 && c.failed == 1 && c.pending == 0, "\(c)")
        // The failed item's observation and side effects were rolled back with its savepoint, nothing else.
        #expect(
            try await e.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM observations WHERE title LIKE '%echo 3%'") } == 0)
    }

    /// A write that fails because the store itself cannot write (disk full) rolls its batch back; that batch
    /// and the next one, already claimed and compressed, go back to the queue at once instead of waiting out
    /// their lease, with their attempts as they were.
    @Test func aStoreWideWriteFailureHandsClaimedItemsBackAtOnce() async throws {
        let env = try TestEnv()
        try await enqueue(env, 10)
        let e = try env.engram()
        // The store answers SQLITE_FULL to every new observation, as on a full disk (a function a temporary trigger calls).
        try await e.store.writer.write { db in
            db.add(
                function: DatabaseFunction("disk_full", argumentCount: 0) { _ in
                    throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")
                })
            try db.execute(sql: "CREATE TEMP TRIGGER full BEFORE INSERT ON observations BEGIN SELECT disk_full(); END")
        }
        var p = QueueProcessor(e)
        p.batchSize = 4
        await #expect(throws: DatabaseError.self) { try await p.drain() }
        try await e.store.writer.write { db in try db.execute(sql: "DROP TRIGGER temp.full") }
        let c = try counts(e)
        #expect(c.obs == 0 && c.pending == 10, "\(c)")
        let (processing, attempts) = try await e.store.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE status = 'processing'")!,
                try Int.fetchOne(db, sql: "SELECT sum(attempts) FROM pending_queue")!
            )
        }
        #expect(processing == 0 && attempts == 0)
        #expect(try await QueueProcessor(e).drain().processed == 10)
    }

    @Test func concurrentProcessorsNeverDuplicate() async throws {
        let env = try TestEnv()
        try await enqueue(env, 60)
        // Separate connections, as separate processes would have.
        let engines = try (0..<4).map { _ in try env.engram() }
        var total = 0
        try await withThrowingTaskGroup(of: Int.self) { group in
            for e in engines {
                group.addTask {
                    var p = QueueProcessor(e); p.batchSize = 7; return try await p.drain().processed
                }
            }
            for try await n in group { total += n }
        }
        #expect(total == 60)
        #expect(try counts(engines[0]).obs == 60)
    }

    @Test func failuresAreRetriedWithAttemptsAndErrorKept() async throws {
        let env = try TestEnv()
        try await enqueue(env, 3)
        var now = Date()
        let clockBox = ClockBox(now)
        let e = try env.engram(clock: clockBox.clock, compressor: FlakyCompressor(failures: 2))
        var stats = try await QueueProcessor(e).drain()
        #expect(stats.retried == 3 && stats.processed == 0)
        let row = try await e.store.writer.read { db in try QueueItem.fetchOne(db, sql: "SELECT * FROM pending_queue LIMIT 1") }
        #expect(row?.attempts == 1)
        #expect(row?.error?.contains("model unavailable") == true)
        // Backoff: nothing is claimable until the retry time passes.
        stats = try await QueueProcessor(e).drain()
        #expect(stats == QueueProcessor.Stats())
        now += 3; clockBox.set(now)
        stats = try await QueueProcessor(e).drain()
        #expect(stats.retried == 3)
        now += 5; clockBox.set(now)
        stats = try await QueueProcessor(e).drain()
        #expect(stats.processed == 3)
        #expect(try counts(e).obs == 3)
    }

    @Test func itemsThatKeepFailingEndFailedNotLost() async throws {
        let env = try TestEnv()
        env.env["ENGRAM_PROCESSING_MAX_ATTEMPTS"] = "2"
        try await enqueue(env, 1)
        let clockBox = ClockBox(Date())
        let e = try env.engram(clock: clockBox.clock, compressor: FlakyCompressor(failures: 100))
        _ = try await QueueProcessor(e).drain()
        clockBox.set(Date().addingTimeInterval(1000))
        let stats = try await QueueProcessor(e).drain()
        #expect(stats.failed == 1)
        let c = try counts(e)
        #expect(c.failed == 1 && c.obs == 0)
        let payload = try await e.store.writer.read { db in try String.fetchOne(db, sql: "SELECT payload FROM pending_queue") }
        #expect(payload?.contains("echo 0") == true, "the payload is kept for a later catch-up")
    }

    @Test func anItemLeftProcessingByAKilledProcessorIsResumedAfterItsLease() async throws {
        let env = try TestEnv()
        try await enqueue(env, 2)
        let clockBox = ClockBox(Date())
        let e = try env.engram(clock: clockBox.clock)
        // Claim as a processor that then dies.
        let claimed = try QueueProcessor(e).claim(max: 10, sessionID: nil)
        #expect(claimed.count == 2)
        #expect(try await QueueProcessor(e).drain().processed == 0, "still leased")
        clockBox.set(Date().addingTimeInterval(301))
        #expect(try await QueueProcessor(e).drain().processed == 2)
    }

    @Test func anUnreadablePayloadIsRetriedThenFailedWithItsError() async throws {
        let env = try TestEnv()
        env.env["ENGRAM_PROCESSING_MAX_ATTEMPTS"] = "1"
        let e = try env.engram()
        try await e.store.writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, payload) VALUES ('t','t','s','/p','PostToolUse','{broken')"
            )
        }
        let stats = try await QueueProcessor(e).drain()
        #expect(stats.failed == 1)
        let err = try await e.store.writer.read { db in try String.fetchOne(db, sql: "SELECT error FROM pending_queue") }
        #expect(err?.contains("unreadable payload") == true)
    }
}

/// A settable clock for tests.
final class ClockBox: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ d: Date) { date = d }
    func set(_ d: Date) { lock.lock(); date = d; lock.unlock() }
    var clock: EngramClock {
        EngramClock { [self] in
            lock.lock(); defer { lock.unlock() }; return date
        }
    }
}
