import Foundation
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
    /// Called for each successfully stored observation, inside its transaction (code intelligence hooks in here).
    public var observers: [any ObservationObserver] = []

    public init(_ engram: Engram, compressor: (any Compressor)? = nil) {
        self.engram = engram
        self.compressor = compressor ?? engram.compressor
        self.batchSize = max(1, engram.config.int("processing.batch_size"))
        self.observers = engram.observers
    }

    /// Processes until nothing claimable is left (or `limit` items), optionally for one session only.
    ///
    /// Pipelined over two batches: one is compressed while the one before it is written. Writing goes through
    /// the store's single connection and compressing is CPU (or an LLM's latency), so the two overlap on
    /// separate cores. Batches are still written one after another, in claim order.
    @discardableResult
    public func drain(sessionID: String? = nil, limit: Int? = nil) async throws -> Stats {
        var stats = Stats()
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
                writing = Task { try await write(outcomes) }
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
            var sql = """
                UPDATE pending_queue SET status = 'processing', attempts = attempts + 1, lease_until = ?, updated_at = ?
                WHERE id IN (
                    SELECT id FROM pending_queue
                    WHERE ((status IN (\(statuses)) AND (next_attempt_at IS NULL OR next_attempt_at <= ?))
                           OR (status = 'processing' AND lease_until < ?))
                """
            var args: [(any DatabaseValueConvertible)?] = [lease, nowText, nowText, nowText]
            if let sessionID { sql += " AND session_id = ?"; args.append(sessionID) }
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
    private func write(_ finished: [Outcome]) async throws -> Stats {
        let now = engram.clock.now()
        let nowText = Timestamp.format(now)
        let maxAttempts = engram.config.maxAttempts
        return try await engram.store.writer.write { db -> Stats in
            var s = Stats()
            let capture = CaptureService(engram)
            // A batch is mostly one session's items: touch each session once, log the batch in one append.
            var ensured = Set<String>()
            var done: [EventLog.Event] = []
            for o in finished {
                guard let id = o.item.id else { continue }
                switch o.result {
                case .success(let c):
                    if ensured.insert(o.item.sessionId).inserted {
                        try capture.ensureSession(o.item.sessionId, project: o.item.project, in: db)
                    }
                    var obs = Self.observation(c, of: o.item, id: id, elapsedMs: o.elapsedMs, compressor: compressorName)
                    let tokens = obs.compressedTokens ?? 0
                    // ON CONFLICT(queue_id): an item already turned into an observation stays one.
                    let exists = try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM observations WHERE queue_id = ?"), arguments: [id]) != nil
                    if !exists {
                        try obs.insertRow(db)
                        if let event = o.event {
                            for observer in observers { try observer.didStore(observation: &obs, event: event, in: db) }
                        }
                        try db.cachedStatement(sql: "UPDATE sessions SET tokens_compressed = tokens_compressed + ? WHERE id = ?")
                            .execute(arguments: [tokens, o.item.sessionId])
                        let ratio = tokens > 0 ? Double(o.item.rawSizeBytes) / Double(tokens * 4) : 0
                        done.append(.init("compress.done", [
                            "queue_id": .number(Double(id)), "observation_id": .number(Double(obs.id ?? 0)),
                            "tool_name": .string(o.item.toolName ?? ""), "raw_size": .number(Double(o.item.rawSizeBytes)),
                            "compressed_tokens": .number(Double(tokens)), "ratio": .number((ratio * 10).rounded() / 10),
                            "compressor": .string(obs.compressor),
                        ], sessionID: o.item.sessionId, project: o.item.project, durationMs: o.elapsedMs))
                        s.processed += 1
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
                        s.upgraded += 1
                    } else {
                        s.skipped += 1
                    }
                    try db.cachedStatement(sql: "UPDATE pending_queue SET status = 'done', error = NULL, lease_until = NULL, updated_at = ? WHERE id = ?")
                        .execute(arguments: [nowText, id])
                case .failure(let deferral as DeferredCompression):
                    // Nothing is lost while the better compressor is away: store the fallback now (once), keep the item raw.
                    try capture.ensureSession(o.item.sessionId, project: o.item.project, in: db)
                    let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM observations WHERE queue_id = ?", arguments: [id]) != nil
                    if !exists {
                        var obs = Self.observation(deferral.fallback, of: o.item, id: id, elapsedMs: o.elapsedMs, compressor: Self.fallbackName)
                        let tokens = obs.compressedTokens ?? 0
                        try obs.insertRow(db)
                        if let event = o.event {
                            for observer in observers { try observer.didStore(observation: &obs, event: event, in: db) }
                        }
                        try db.execute(sql: "UPDATE sessions SET tokens_compressed = tokens_compressed + ? WHERE id = ?",
                                       arguments: [tokens, o.item.sessionId])
                    }
                    let message = deferral.reason.prefix(500).description
                    if o.item.attempts >= maxAttempts {
                        // Out of attempts: the fallback stands for good.
                        try db.execute(sql: "UPDATE pending_queue SET status = 'done', error = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
                                       arguments: [message, nowText, id])
                    } else {
                        let delay = min(600, pow(2.0, Double(o.item.attempts)))
                        try db.execute(sql: """
                            UPDATE pending_queue SET status = 'raw', error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                            WHERE id = ?
                            """, arguments: [message, Timestamp.format(now.addingTimeInterval(delay)), nowText, id])
                    }
                    try engram.events.record(.init("compress.deferred", ["queue_id": .number(Double(id)), "error": .string(message),
                                                                         "attempts": .number(Double(o.item.attempts))],
                                                   sessionID: o.item.sessionId, project: o.item.project), in: db)
                    s.deferred += 1
                case .failure(let error):
                    let message = ((error as? LocalizedError)?.errorDescription ?? String(describing: error)).prefix(500).description
                    if o.item.attempts >= maxAttempts {
                        try db.execute(sql: "UPDATE pending_queue SET status = 'failed', error = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
                                       arguments: [message, nowText, id])
                        s.failed += 1
                    } else {
                        // Exponential backoff: 2s, 4s, 8s… capped at 10 minutes.
                        let delay = min(600, pow(2.0, Double(o.item.attempts)))
                        try db.execute(sql: """
                            UPDATE pending_queue SET status = 'pending', error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                            WHERE id = ?
                            """, arguments: [message, Timestamp.format(now.addingTimeInterval(delay)), nowText, id])
                        s.retried += 1
                    }
                    try engram.events.record(.init("compress.error", ["queue_id": .number(Double(id)), "error": .string(message),
                                                                      "attempts": .number(Double(o.item.attempts))],
                                                   sessionID: o.item.sessionId, project: o.item.project), in: db)
                }
            }
            try engram.events.record(contentsOf: done, in: db)
            return s
        }
    }

    /// The `observations.compressor` of a fallback result, which a later success may replace.
    public static let fallbackName = "heuristic"

    /// Puts back items a dead processor left `processing`, so a restarted worker resumes them at once
    /// instead of waiting out their lease. Safe while others process: an item still becomes at most one observation.
    @discardableResult
    public func releaseAbandoned() throws -> Int {
        try engram.store.writer.write { db in
            try db.execute(sql: "UPDATE pending_queue SET status = 'pending', lease_until = NULL WHERE status = 'processing'")
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
                         cwd: v["cwd"]?.textValue, durationMs: v["duration_ms"]?.intValue)
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

/// Extra work done when an observation is stored, in the same transaction (code intelligence).
public protocol ObservationObserver: Sendable {
    func didStore(observation: inout ObservationRecord, event: ToolEvent, in db: Database) throws
}
