import Foundation

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
        try engram.stores.processing.release(items.compactMap(\.id))
    }

    var compressorName: String { (compressor as? any NamedCompressor)?.name ?? Self.fallbackName }

    /// Marks up to `max` claimable items as processing under a lease and returns them.
    func claim(max: Int, sessionID: String?) throws -> [QueueItem] {
        let now = engram.clock.now()
        // Raw items already hold the fallback result; only a better compressor has anything to add.
        return try engram.stores.processing.claim(
            max: max, sessionID: sessionID, includeRaw: compressorName != Self.fallbackName, takeOver: takingOver,
            owner: ProcessOwner.current, lease: Timestamp.format(now.addingTimeInterval(leaseSeconds)), now: Timestamp.format(now),
            isDead: ProcessOwner.isProvablyDead)
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

    /// Writes a compressed batch in one transaction (`ProcessingStore.commit`): observations, the enrichment they
    /// owe, queue states, session counters, events.
    ///
    /// Each item is stored on its own: one that cannot be stored (a constraint its row breaks) is rolled back alone,
    /// charged its attempt and set aside exactly like a failed compression, so it never blocks the items beside or
    /// behind it. Only an error of the store itself (disk full, I/O, lock) fails the whole batch, whose items then go
    /// back to the queue.
    private func write(_ finished: [Outcome]) async throws -> (Stats, [Int64]) {
        let now = engram.clock.now()
        let nowText = Timestamp.format(now)
        let maxAttempts = engram.config.maxAttempts
        let enricher = self.enricher
        let items = finished.filter { $0.item.id != nil }.map { o -> ProcessedItem in
            // Exponential backoff: 2s, 4s, 8s… capped at 10 minutes; none once `processing.max_attempts` are spent.
            let retryAt =
                o.item.attempts >= maxAttempts
                ? nil
                : Timestamp.format(now.addingTimeInterval(min(600, pow(2.0, Double(o.item.attempts)))))
            let outcome: ProcessedItem.Outcome
            var stored: ObservationRecord?
            switch o.result {
            case .success(let c):
                var obs = Self.observation(c, of: o.item, id: o.item.id ?? 0, elapsedMs: o.elapsedMs, compressor: compressorName)
                obs.promptId = o.event?.promptID
                stored = obs
                outcome = .compressed(obs, replacing: obs.compressor == Self.fallbackName ? nil : Self.fallbackName)
            case .failure(let deferral as DeferredCompression):
                var obs = Self.observation(deferral.fallback, of: o.item, id: o.item.id ?? 0, elapsedMs: o.elapsedMs, compressor: Self.fallbackName)
                obs.promptId = o.event?.promptID
                stored = obs
                outcome = .deferred(obs, reason: Self.bounded(deferral.reason))
            case .failure(let error):
                outcome = .failed(Self.describe(error))
            }
            let owed = stored.flatMap { obs in o.event.map { enricher.owed(by: obs, event: $0) } } ?? []
            return ProcessedItem(item: o.item, outcome: outcome, retryAt: retryAt, owedSteps: owed)
        }
        let elapsed = Dictionary(finished.compactMap { o in o.item.id.map { ($0, o.elapsedMs) } }, uniquingKeysWith: { a, _ in a })
        let batch = try engram.stores.processing.commit(items, now: nowText, describe: Self.describe) { p, effect in
            Self.events(p, effect, elapsedMs: elapsed[p.item.id ?? 0] ?? 0)
        }
        engram.events.stored(batch.events)
        var stats = Stats()
        var stored: [Int64] = []
        for (p, effect) in zip(items, batch.effects) {
            switch effect {
            case .stored(let id):
                stats.processed += 1
                if !p.owedSteps.isEmpty { stored.append(id) }
            case .upgraded: stats.upgraded += 1
            case .unchanged: stats.skipped += 1
            case .deferred(let id):
                stats.deferred += 1
                if let id, !p.owedSteps.isEmpty { stored.append(id) }
            case .failed(_, let final):
                if final { stats.failed += 1 } else { stats.retried += 1 }
            }
        }
        return (stats, stored)
    }

    /// The events that tell of what the store did with one item.
    static func events(_ p: ProcessedItem, _ effect: ProcessedItem.Effect, elapsedMs: Int) -> [EngramEvent] {
        let item = p.item, id = Double(item.id ?? 0)
        let observation: ObservationRecord?
        switch p.outcome {
        case .compressed(let o, _), .deferred(let o, _): observation = o
        case .failed: observation = nil
        }
        let tokens = observation?.compressedTokens ?? 0
        switch effect {
        case .stored(let observationID):
            let ratio = tokens > 0 ? Double(item.rawSizeBytes) / Double(tokens * 4) : 0
            return [
                EngramEvent(
                    "compress.done",
                    [
                        "queue_id": .number(id), "observation_id": .number(Double(observationID)),
                        "tool_name": .string(item.toolName ?? ""), "raw_size": .number(Double(item.rawSizeBytes)),
                        "compressed_tokens": .number(Double(tokens)), "ratio": .number((ratio * 10).rounded() / 10),
                        "compressor": .string(observation?.compressor ?? ""),
                    ], sessionID: item.sessionId, project: item.project, durationMs: elapsedMs)
            ]
        case .upgraded:
            return [
                EngramEvent(
                    "compress.done",
                    [
                        "queue_id": .number(id), "tool_name": .string(item.toolName ?? ""),
                        "compressed_tokens": .number(Double(tokens)), "compressor": .string(observation?.compressor ?? ""), "upgraded": true,
                    ], sessionID: item.sessionId, project: item.project, durationMs: elapsedMs)
            ]
        case .unchanged:
            return []
        case .deferred:
            guard case .deferred(_, let reason) = p.outcome else { return [] }
            return [
                EngramEvent(
                    "compress.deferred",
                    [
                        "queue_id": .number(id), "error": .string(reason),
                        "attempts": .number(Double(item.attempts)),
                    ],
                    sessionID: item.sessionId, project: item.project)
            ]
        case .failed(let message, _):
            return [
                EngramEvent(
                    "compress.error",
                    [
                        "queue_id": .number(id), "error": .string(message),
                        "attempts": .number(Double(item.attempts)),
                    ],
                    sessionID: item.sessionId, project: item.project)
            ]
        }
    }

    var enricher: Enricher { Enricher(engram, steps: enrichment) }

    /// Errors of the store as a whole, not of one item: retrying the item alone would fail the same way, so the
    /// batch fails and goes back to the queue uncharged.
    static func isStoreWide(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        return (error as? any StoreFailure)?.isStoreWide ?? false
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
        try engram.stores.processing.releaseAbandoned { $0 != ProcessOwner.current && ProcessOwner.isProvablyDead($0) }
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
        return ToolEvent(
            toolName: v["tool_name"]?.textValue ?? item.toolName ?? "unknown",
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
