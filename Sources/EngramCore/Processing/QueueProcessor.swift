import Foundation
import EngramSQLite
import GRDB

/// Drains pending_queue into observations. Claiming takes a lease; an observation and its
/// queue item's `done` are written in one transaction, and `observations.queue_id` is
/// UNIQUE, so an item becomes at most one observation even if two processors race or one
/// is killed mid-batch. A killed processor's items come back when their lease runs out.
public struct QueueProcessor: Sendable {
    public struct Stats: Sendable, Equatable, Codable {
        public var processed = 0
        public var failed = 0
        public var retried = 0
        public var skipped = 0
        /// Stored with the fallback result and kept `raw` for a better compressor to upgrade later.
        public var deferred = 0
        /// Observations rewritten by a better compressor after an earlier fallback.
        public var upgraded = 0
        public init() {}

        /// Items this run touched in any way.
        public var total: Int { processed + failed + retried + skipped + deferred + upgraded }

        mutating func add(_ other: Stats) {
            processed += other.processed
            failed += other.failed
            retried += other.retried
            skipped += other.skipped
            deferred += other.deferred
            upgraded += other.upgraded
        }
    }

    let engram: Engram
    let compressor: any Compressor
    public var leaseSeconds: Double = 300
    public var batchSize: Int
    /// What each stored observation is enriched with after its batch commits (code snapshots, vectors).
    public var enrichment: [any EnrichmentStep] = []
    /// Claims a session's items whatever their lease or backoff (`finish` taking over what another processor holds).
    var takingOver = false

    public init(_ engram: Engram, compressor: (any Compressor)? = nil) {
        self.engram = engram
        self.compressor = compressor ?? engram.compressor
        self.batchSize = max(1, engram.config.int("processing.batch_size"))
        self.enrichment = engram.enrichment
    }

    /// Processes until nothing claimable is left (or `limit` items), optionally for one session only.
    ///
    /// Pipelined over two batches: one is compressed while the one before it is written. Writing goes through
    /// the store's single connection and compressing is CPU (or an LLM's latency), so the two overlap on
    /// separate cores. Batches are still written one after another, in claim order.
    @discardableResult
    public func drain(sessionID: String? = nil, limit: Int? = nil) async throws -> Stats {
        var stats = Stats()
        // Steps a killed run left owed come first; they are idempotent, so a racing processor is harmless.
        try await enricher.run(limit: batchSize * 4)
        var remaining = limit ?? Int.max
        func claimNext() throws -> [QueueItem] {
            guard remaining > 0 else { return [] }
            let batch = try claim(max: min(batchSize, remaining), sessionID: sessionID)
            remaining -= batch.count
            return batch
        }
        var writing: Task<Stats, any Error>?
        // Claimed and not yet written: what goes back to the queue if this run stops early.
        var unwritten: [QueueItem] = []
        do {
            var batch = try claimNext()
            unwritten = batch
            while !batch.isEmpty {
                let outcomes = await compress(batch)
                if let previous = writing {
                    writing = nil
                    stats.add(try await previous.value)
                    unwritten = batch
                }
                try Task.checkCancellation()
                let next = try claimNext()
                unwritten += next
                writing = Task {
                    let (written, stored) = try await write(outcomes)
                    // Outside the write transaction: hooks and other writers go on while files parse and vectors come.
                    try await enricher.run(observationIDs: stored)
                    return written
                }
                batch = next
            }
            if let last = writing { writing = nil; stats.add(try await last.value) }
        } catch {
            // Never leave a write running behind the caller's back, and hand back at once what was claimed and
            // not written (a killed processor's items wait for their lease instead).
            if let pending = writing { _ = try? await pending.value }
            try? release(unwritten)
            throw error
        }
        return stats
    }

    /// Catches up one session's queue before its summary, so the summary sees every tool call captured before Stop.
    /// Items another processor holds (`processing`: the worker's batch, or a killed process's) are waited for up to
    /// `wait`, then taken over; items waiting out a retry backoff are taken over too. An item still becomes at most
    /// one observation (`observations.queue_id` is unique), whoever writes it first.
    @discardableResult
    public func finish(sessionID: String, wait: Duration, poll: Duration = .milliseconds(50)) async throws -> Stats {
        var stats = try await drain(sessionID: sessionID, limit: 5_000)
        let deadline = ContinuousClock.now + wait
        while try held(sessionID: sessionID) > 0 {
            if ContinuousClock.now >= deadline {
                var takeover = self
                takeover.takingOver = true
                stats.add(try await takeover.drain(sessionID: sessionID, limit: 5_000))
                break
            }
            try await Task.sleep(for: poll)
            stats.add(try await drain(sessionID: sessionID, limit: 5_000))
        }
        return stats
    }

    /// A session's items this processor cannot claim now: held by another one, or waiting for a retry.
    func held(sessionID: String) throws -> Int {
        try engram.stores.queue.unfinished(sessionID: sessionID)
    }

    /// Puts claimed items that were not written back in the queue, as claimable as before the claim. Items
    /// already written are left alone (they are no longer `processing`).
    func release(_ items: [QueueItem]) throws {
        let ids = items.compactMap(\.id)
        guard !ids.isEmpty else { return }
        try engram.store.writer.write { db in
            // An item that already has an observation was `raw` (kept for a better compressor), else `pending`.
            try db.execute(sql: """
                UPDATE pending_queue
                SET status = CASE WHEN EXISTS (SELECT 1 FROM observations WHERE queue_id = pending_queue.id) THEN 'raw' ELSE 'pending' END,
                    attempts = max(attempts - 1, 0), lease_until = NULL
                WHERE status = 'processing' AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(ids))
        }
    }

    var compressorName: String { (compressor as? any NamedCompressor)?.name ?? Self.fallbackName }

    /// Marks up to `max` claimable items as processing under a lease and returns them.
    func claim(max: Int, sessionID: String?) throws -> [QueueItem] {
        let now = engram.clock.now()
        let nowText = Timestamp.format(now)
        let lease = Timestamp.format(now.addingTimeInterval(leaseSeconds))
        // Raw items already hold the fallback result; only a better compressor has anything to add.
        let statuses = compressorName == Self.fallbackName ? "'pending'" : "'pending', 'raw'"
        return try engram.store.writer.write { db in
            // Items a killed processor left behind come back at once when their owner is provably dead.
            let dead = try String.fetchAll(db, sql: "SELECT DISTINCT claimed_by FROM pending_queue WHERE status = 'processing' AND claimed_by IS NOT NULL")
                .filter { $0 != ProcessOwner.current && ProcessOwner.isProvablyDead($0) }
            let orphaned = dead.isEmpty ? "" : " OR (status = 'processing' AND claimed_by IN (\(dead.map { _ in "?" }.joined(separator: ","))))"
            var sql = """
                UPDATE pending_queue SET status = 'processing', attempts = attempts + 1, lease_until = ?, updated_at = ?, claimed_by = ?
                WHERE id IN (
                    SELECT id FROM pending_queue
                    WHERE ((status IN (\(statuses)) AND (next_attempt_at IS NULL OR next_attempt_at <= ?))
                           OR (status = 'processing' AND lease_until < ?)\(orphaned))
                """
            var args: [(any DatabaseValueConvertible)?] = [lease, nowText, ProcessOwner.current, nowText, nowText] + dead.map { $0 }
            if let sessionID { sql += " AND session_id = ?"; args.append(sessionID) }
            if takingOver, let sessionID {
                sql = """
                    UPDATE pending_queue SET status = 'processing', attempts = attempts + 1, lease_until = ?, updated_at = ?
                    WHERE id IN (SELECT id FROM pending_queue WHERE status IN ('pending', 'processing') AND session_id = ?
                    """
                args = [lease, nowText, sessionID]
            }
            sql += " ORDER BY id LIMIT ?) RETURNING *"
            args.append(max)
            return try QueueItem.fetchAll(db, sql: sql, arguments: StatementArguments(args)).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        }
    }

    private struct Outcome: Sendable {
        var item: QueueItem
        var event: ToolEvent?
        var result: Result<CompressedObservation, any Error>
        var elapsedMs: Int
    }

    /// Compresses a claimed batch; nothing is written yet.
    private func compress(_ batch: [QueueItem]) async -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(batch.count)
        for item in batch {
            let start = DispatchTime.now().uptimeNanoseconds
            var event: ToolEvent?
            let result: Result<CompressedObservation, any Error>
            do {
                let e = try Self.decode(item)
                event = e
                result = .success(try await compressor.compress(e))
            } catch {
                result = .failure(error)
            }
            let ms = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            outcomes.append(Outcome(item: item, event: event, result: result, elapsedMs: ms))
        }
        return outcomes
    }

    /// Writes a compressed batch in one transaction: observations, queue states, session counters, events.
    ///
    /// Each item is stored in its own savepoint: one that cannot be stored (a constraint its code snapshot
    /// breaks, an observer's error) is rolled back alone, charged its attempt and set aside exactly like a failed
    /// compression, so it never blocks the items beside or behind it. Only an error of the store itself (disk
    /// full, I/O, lock) fails the whole batch, whose items then go back to the queue.
    private func write(_ finished: [Outcome]) async throws -> (Stats, [Int64]) {
        let now = engram.clock.now()
        let maxAttempts = engram.config.maxAttempts
        return try await engram.store.writer.write { db -> (Stats, [Int64]) in
            var batch = BatchWrite(now: now, maxAttempts: maxAttempts)
            for o in finished {
                guard let id = o.item.id else { continue }
                var item = ItemWrite()
                do {
                    try db.inSavepoint {
                        try store(o, id: id, batch: batch, into: &item, in: db)
                        return .commit
                    }
                } catch where !Self.isStoreWide(error) {
                    item = ItemWrite()
                    try recordFailure(o, id: id, error: error, batch: batch, into: &item, in: db)
                }
                batch.stats.add(item.stats)
                batch.done += item.done
                if item.ensuredSession { batch.ensured.insert(o.item.sessionId) }
                batch.stored += item.stored
            }
            try engram.events.record(contentsOf: batch.done, in: db)
            return (batch.stats, batch.stored)
        }
    }

    /// What a batch's write carries from item to item.
    private struct BatchWrite {
        let now: Date
        let nowText: String
        let maxAttempts: Int
        var stats = Stats()
        /// A batch is mostly one session's items: touch each session once, log the batch in one append.
        var ensured = Set<String>()
        var done: [EventLog.Event] = []
        /// Observations stored by this batch, to enrich once it commits.
        var stored: [Int64] = []
        init(now: Date, maxAttempts: Int) { self.now = now; self.nowText = Timestamp.format(now); self.maxAttempts = maxAttempts }
    }

    /// One item's effects, kept apart until its savepoint commits.
    private struct ItemWrite {
        var stats = Stats()
        var done: [EventLog.Event] = []
        var ensuredSession = false
        var stored: [Int64] = []
    }

    private func store(_ o: Outcome, id: Int64, batch: BatchWrite, into item: inout ItemWrite, in db: Database) throws {
        let nowText = batch.nowText
        switch o.result {
        case .success(let c):
            if !batch.ensured.contains(o.item.sessionId) {
                try SQLiteCaptureStore.touchSession(o.item.sessionId, project: o.item.project, now: nowText, in: db)
                item.ensuredSession = true
            }
            var obs = Self.observation(c, of: o.item, id: id, elapsedMs: o.elapsedMs, compressor: compressorName)
            obs.promptId = o.event?.promptID
            let tokens = obs.compressedTokens ?? 0
            // ON CONFLICT(queue_id): an item already turned into an observation stays one.
            let exists = try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM observations WHERE queue_id = ?"), arguments: [id]) != nil
            if !exists {
                try obs.insertRow(db)
                try owe(obs, o.event, into: &item, in: db)
                try db.cachedStatement(sql: "UPDATE sessions SET tokens_compressed = tokens_compressed + ? WHERE id = ?")
                    .execute(arguments: [tokens, o.item.sessionId])
                let ratio = tokens > 0 ? Double(o.item.rawSizeBytes) / Double(tokens * 4) : 0
                item.done.append(.init("compress.done", [
                    "queue_id": .number(Double(id)), "observation_id": .number(Double(obs.id ?? 0)),
                    "tool_name": .string(o.item.toolName ?? ""), "raw_size": .number(Double(o.item.rawSizeBytes)),
                    "compressed_tokens": .number(Double(tokens)), "ratio": .number((ratio * 10).rounded() / 10),
                    "compressor": .string(obs.compressor),
                ], sessionID: o.item.sessionId, project: o.item.project, durationMs: o.elapsedMs))
                item.stats.processed += 1
            } else if obs.compressor != Self.fallbackName,
                      try String.fetchOne(db, sql: "SELECT compressor FROM observations WHERE queue_id = ?", arguments: [id]) == Self.fallbackName {
                // An item kept raw after a fallback: the better result replaces the fallback, still one observation.
                try db.execute(sql: """
                    UPDATE observations SET title = ?, summary = ?, detail = ?, files_touched = ?, compressed_tokens = ?, compressor = ?
                    WHERE queue_id = ?
                    """, arguments: [obs.title, obs.summary, obs.detail, obs.filesTouched, tokens, obs.compressor, id])
                try engram.events.record(.init("compress.done", [
                    "queue_id": .number(Double(id)), "tool_name": .string(o.item.toolName ?? ""),
                    "compressed_tokens": .number(Double(tokens)), "compressor": .string(obs.compressor), "upgraded": true,
                ], sessionID: o.item.sessionId, project: o.item.project, durationMs: o.elapsedMs), in: db)
                item.stats.upgraded += 1
            } else {
                item.stats.skipped += 1
            }
            try db.cachedStatement(sql: "UPDATE pending_queue SET status = 'done', error = NULL, lease_until = NULL, updated_at = ? WHERE id = ?")
                .execute(arguments: [nowText, id])
        case .failure(let deferral as DeferredCompression):
            // Nothing is lost while the better compressor is away: store the fallback now (once), keep the item raw.
            try SQLiteCaptureStore.touchSession(o.item.sessionId, project: o.item.project, now: nowText, in: db)
            let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM observations WHERE queue_id = ?", arguments: [id]) != nil
            if !exists {
                var obs = Self.observation(deferral.fallback, of: o.item, id: id, elapsedMs: o.elapsedMs, compressor: Self.fallbackName)
                obs.promptId = o.event?.promptID
                let tokens = obs.compressedTokens ?? 0
                try obs.insertRow(db)
                try owe(obs, o.event, into: &item, in: db)
                try db.execute(sql: "UPDATE sessions SET tokens_compressed = tokens_compressed + ? WHERE id = ?",
                               arguments: [tokens, o.item.sessionId])
            }
            let message = Self.bounded(deferral.reason)
            if o.item.attempts >= batch.maxAttempts {
                // Out of attempts: the fallback stands for good.
                try db.execute(sql: "UPDATE pending_queue SET status = 'done', error = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
                               arguments: [message, nowText, id])
            } else {
                let delay = min(600, pow(2.0, Double(o.item.attempts)))
                try db.execute(sql: """
                    UPDATE pending_queue SET status = 'raw', error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                    WHERE id = ?
                    """, arguments: [message, Timestamp.format(batch.now.addingTimeInterval(delay)), nowText, id])
            }
            try engram.events.record(.init("compress.deferred", ["queue_id": .number(Double(id)), "error": .string(message),
                                                                 "attempts": .number(Double(o.item.attempts))],
                                           sessionID: o.item.sessionId, project: o.item.project), in: db)
            item.stats.deferred += 1
        case .failure(let error):
            try recordFailure(o, id: id, error: error, batch: batch, into: &item, in: db)
        }
    }

    /// Records the enrichment a newly stored observation will get once its batch commits.
    private func owe(_ obs: ObservationRecord, _ event: ToolEvent?, into item: inout ItemWrite, in db: Database) throws {
        guard let id = obs.id, let event, !enrichment.isEmpty else { return }
        try enricher.register(obs, event: event, in: db)
        item.stored.append(id)
    }

    var enricher: Enricher { Enricher(engram, steps: enrichment) }

    /// Charges a failed item its attempt (taken when it was claimed): retried later with backoff, or `failed`
    /// for good after `processing.max_attempts`, with its error kept for `engram doctor` and `engram report --eval`.
    private func recordFailure(_ o: Outcome, id: Int64, error: any Error, batch: BatchWrite, into item: inout ItemWrite, in db: Database) throws {
        let message = Self.describe(error)
        if o.item.attempts >= batch.maxAttempts {
            try db.execute(sql: "UPDATE pending_queue SET status = 'failed', error = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
                           arguments: [message, batch.nowText, id])
            item.stats.failed += 1
        } else {
            // Exponential backoff: 2s, 4s, 8s… capped at 10 minutes.
            let delay = min(600, pow(2.0, Double(o.item.attempts)))
            try db.execute(sql: """
                UPDATE pending_queue SET status = 'pending', error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                WHERE id = ?
                """, arguments: [message, Timestamp.format(batch.now.addingTimeInterval(delay)), batch.nowText, id])
            item.stats.retried += 1
        }
        try engram.events.record(.init("compress.error", ["queue_id": .number(Double(id)), "error": .string(message),
                                                          "attempts": .number(Double(o.item.attempts))],
                                       sessionID: o.item.sessionId, project: o.item.project), in: db)
    }

    /// Errors of the store as a whole, not of one item: retrying the item alone would fail the same way, so the
    /// batch fails and goes back to the queue uncharged.
    static func isStoreWide(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        guard let e = error as? DatabaseError else { return false }
        switch e.resultCode.primaryResultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_NOMEM, .SQLITE_READONLY, .SQLITE_CORRUPT,
             .SQLITE_CANTOPEN, .SQLITE_INTERRUPT, .SQLITE_NOTADB, .SQLITE_PROTOCOL:
            return true
        default:
            return false
        }
    }

    /// A failure as kept in `pending_queue.error`: one line a person can act on, without SQL text.
    static func describe(_ error: any Error) -> String { ErrorText.oneLine(error, limit: 500) }

    static func bounded(_ text: String) -> String {
        String(text.replacingOccurrences(of: "\n", with: " ").prefix(500))
    }

    /// The `observations.compressor` of a fallback result, which a later success may replace.
    public static let fallbackName = "heuristic"

    /// Puts back items a dead processor left `processing`, so a restarted worker resumes them at once
    /// instead of waiting out their lease. Items of a processor that is still running (an `engram process` beside
    /// the worker) are left to it; items with no recorded owner (claimed by an older engram) are put back.
    @discardableResult
    public func releaseAbandoned() throws -> Int {
        try engram.store.writer.write { db in
            let owners = try String.fetchAll(db, sql: "SELECT DISTINCT claimed_by FROM pending_queue WHERE status = 'processing' AND claimed_by IS NOT NULL")
            let dead = owners.filter { $0 != ProcessOwner.current && ProcessOwner.isProvablyDead($0) }
            try db.execute(sql: """
                UPDATE pending_queue SET status = 'pending', lease_until = NULL, claimed_by = NULL
                WHERE status = 'processing' AND (claimed_by IS NULL\(dead.isEmpty ? "" : " OR claimed_by IN (\(dead.map { _ in "?" }.joined(separator: ",")))"))
                """, arguments: StatementArguments(dead))
            return db.changesCount
        }
    }

    public enum DecodeError: LocalizedError {
        case badPayload(Int64?)
        public var errorDescription: String? {
            if case .badPayload(let id) = self { return "queue item \(id ?? 0) has an unreadable payload" }
            return nil
        }
    }

    /// The observation a compressed item becomes (not yet stored).
    static func observation(_ c: CompressedObservation, of item: QueueItem, id: Int64, elapsedMs: Int, compressor: String) -> ObservationRecord {
        ObservationRecord(
            id: nil, queueId: id, sessionId: item.sessionId, project: item.project, createdAt: item.createdAt,
            hookType: item.hookType, toolName: item.toolName, title: c.title, summary: c.summary,
            detail: c.detail.isEmpty ? nil : c.detail, filesTouched: JSONList.encode(c.filesTouched),
            functionsChanged: "[]", rawSizeBytes: item.rawSizeBytes,
            compressedTokens: TokenEstimator.estimate(c.title + " " + c.summary + " " + c.detail),
            compressionTimeMs: elapsedMs, compressor: compressor)
    }

    static func decode(_ item: QueueItem) throws -> ToolEvent {
        guard let v = try? JSONValue.parse(item.payload), case .object = v else { throw DecodeError.badPayload(item.id) }
        return ToolEvent(toolName: v["tool_name"]?.textValue ?? item.toolName ?? "unknown",
                         input: v["tool_input"] ?? .null, response: v["tool_response"] ?? .null,
                         cwd: v["cwd"]?.textValue, durationMs: v["duration_ms"]?.intValue,
                         error: item.hookType == "PostToolUseFailure" ? (v["error"]?.textValue ?? "") : nil,
                         isInterrupt: v["is_interrupt"]?.boolValue ?? false, promptID: v["prompt_id"]?.textValue)
    }
}

/// Thrown by a compressor whose better result is unavailable for now (the LLM is unreachable): the
/// processor stores `fallback` at once, so nothing is lost and search finds it, and keeps the item
/// `raw` so the better compressor can replace the fallback later.
public struct DeferredCompression: Error, LocalizedError {
    public var fallback: CompressedObservation
    public var reason: String

    public init(fallback: CompressedObservation, reason: String) {
        self.fallback = fallback
        self.reason = reason
    }

    public var errorDescription: String? { "kept raw for a later retry: \(reason)" }
}

/// A compressor that names itself in `observations.compressor` (e.g. "llm:claude-haiku-4-5").
public protocol NamedCompressor: Compressor {
    var name: String { get }
}
