import EngramModel
import Foundation
import GRDB

/// The processor's side of `pending_queue`: claims are one UPDATE … RETURNING (SQLite's single writer makes a claim
/// atomic); `observations.queue_id` is UNIQUE, so an item becomes at most one observation even if two processors race
/// or one is killed mid-batch.
package struct SQLiteProcessingStore: ProcessingStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func claim(
        max: Int, sessionID: String?, includeRaw: Bool, takeOver: Bool, owner: String, lease: String, now: String,
        isDead: (String) -> Bool
    ) throws -> [QueueItem] {
        let statuses = includeRaw ? "'pending', 'raw'" : "'pending'"
        return try writer.write { db in
            // Items a killed processor left behind come back at once when their owner is provably dead.
            let dead = try String.fetchAll(
                db, sql: "SELECT DISTINCT claimed_by FROM pending_queue WHERE status = 'processing' AND claimed_by IS NOT NULL"
            )
            .filter { $0 != owner && isDead($0) }
            let orphaned = dead.isEmpty ? "" : " OR (status = 'processing' AND claimed_by IN (\(dead.map { _ in "?" }.joined(separator: ","))))"
            var sql = """
                UPDATE pending_queue SET status = 'processing', attempts = attempts + 1, lease_until = ?, updated_at = ?, claimed_by = ?
                WHERE id IN (
                    SELECT id FROM pending_queue
                    WHERE ((status IN (\(statuses)) AND (next_attempt_at IS NULL OR next_attempt_at <= ?))
                           OR (status = 'processing' AND lease_until < ?)\(orphaned))
                """
            var args: [(any DatabaseValueConvertible)?] = [lease, now, owner, now, now] + dead.map { $0 }
            if let sessionID { sql += " AND session_id = ?"; args.append(sessionID) }
            if takeOver, let sessionID {
                sql = """
                    UPDATE pending_queue SET status = 'processing', attempts = attempts + 1, lease_until = ?, updated_at = ?
                    WHERE id IN (SELECT id FROM pending_queue WHERE status IN ('pending', 'processing') AND session_id = ?
                    """
                args = [lease, now, sessionID]
            }
            sql += " ORDER BY id LIMIT ?) RETURNING *"
            args.append(max)
            return try QueueItem.fetchAll(db, sql: sql, arguments: StatementArguments(args)).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
        }
    }

    package func release(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try writer.write { db in
            // An item that already has an observation was `raw` (kept for a better compressor), else `pending`.
            try db.execute(
                sql: """
                    UPDATE pending_queue
                    SET status = CASE WHEN EXISTS (SELECT 1 FROM observations WHERE queue_id = pending_queue.id) THEN 'raw' ELSE 'pending' END,
                        attempts = max(attempts - 1, 0), lease_until = NULL
                    WHERE status = 'processing' AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                    """, arguments: StatementArguments(ids))
        }
    }

    package func releaseAbandoned(isDead: (String) -> Bool) throws -> Int {
        try writer.write { db in
            let owners = try String.fetchAll(
                db, sql: "SELECT DISTINCT claimed_by FROM pending_queue WHERE status = 'processing' AND claimed_by IS NOT NULL")
            let dead = owners.filter(isDead)
            try db.execute(
                sql: """
                    UPDATE pending_queue SET status = 'pending', lease_until = NULL, claimed_by = NULL
                    WHERE status = 'processing' AND (claimed_by IS NULL\(dead.isEmpty ? "" : " OR claimed_by IN (\(dead.map { _ in "?" }.joined(separator: ",")))"))
                    """, arguments: StatementArguments(dead))
            return db.changesCount
        }
    }

    package func commit(
        _ items: [ProcessedItem], now: String, describe: (any Error) -> String,
        events: (ProcessedItem, ProcessedItem.Effect) -> [EngramEvent]
    ) throws -> ProcessedBatch {
        try writer.write { db in
            var effects: [ProcessedItem.Effect] = []
            effects.reserveCapacity(items.count)
            var written: [EngramEvent] = []
            // A batch is mostly one session's items: each session is touched once.
            var touched = Set<String>()
            for p in items {
                guard let id = p.item.id else { effects.append(.unchanged); continue }
                var effect = ProcessedItem.Effect.unchanged
                var itemEvents: [EngramEvent] = []
                var touchedNow = false
                do {
                    try db.inSavepoint {
                        if !touched.contains(p.item.sessionId) {
                            try SQLiteCaptureStore.touchSession(p.item.sessionId, project: p.item.project, now: now, in: db)
                            touchedNow = true
                        }
                        effect = try Self.write(p, id: id, now: now, in: db)
                        itemEvents = Self.stamped(events(p, effect), now)
                        try SQLiteEvents.insert(itemEvents, now: now, in: db)
                        return .commit
                    }
                } catch let error as DatabaseError where !error.isStoreWide {
                    // Undone alone: charged its attempt and set aside exactly like a failed compression.
                    touchedNow = false
                    effect = try Self.fail(p, id: id, message: describe(error), now: now, in: db)
                    itemEvents = Self.stamped(events(p, effect), now)
                    try SQLiteEvents.insert(itemEvents, now: now, in: db)
                }
                if touchedNow { touched.insert(p.item.sessionId) }
                effects.append(effect)
                written += itemEvents
            }
            return ProcessedBatch(effects: effects, events: written)
        }
    }

    static func stamped(_ events: [EngramEvent], _ now: String) -> [EngramEvent] {
        events.map {
            var e = $0; e.timestamp = e.timestamp ?? now; return e
        }
    }

    private static func write(_ p: ProcessedItem, id: Int64, now: String, in db: Database) throws -> ProcessedItem.Effect {
        switch p.outcome {
        case .compressed(var observation, let replacing):
            let existing = try String.fetchOne(db.cachedStatement(sql: "SELECT compressor FROM observations WHERE queue_id = ?"), arguments: [id])
            let effect: ProcessedItem.Effect
            if existing == nil {
                effect = .stored(observationID: try insert(&observation, owing: p.owedSteps, in: db))
            } else if let replacing, existing == replacing, observation.compressor != replacing {
                // An item kept raw after a fallback: the better result replaces the fallback, still one observation.
                try db.execute(
                    sql: """
                        UPDATE observations SET title = ?, summary = ?, detail = ?, files_touched = ?, compressed_tokens = ?, compressor = ?
                        WHERE queue_id = ?
                        """,
                    arguments: [
                        observation.title, observation.summary, observation.detail, observation.filesTouched,
                        observation.compressedTokens ?? 0, observation.compressor, id,
                    ])
                effect = .upgraded
            } else {
                effect = .unchanged
            }
            try db.cachedStatement(sql: "UPDATE pending_queue SET status = 'done', error = NULL, lease_until = NULL, updated_at = ? WHERE id = ?")
                .execute(arguments: [now, id])
            return effect
        case .deferred(var fallback, let reason):
            // Nothing is lost while the better compressor is away: the fallback is stored now (once), the item kept raw.
            let exists = try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM observations WHERE queue_id = ?"), arguments: [id]) != nil
            let stored = exists ? nil : try insert(&fallback, owing: p.owedSteps, in: db)
            if let retryAt = p.retryAt {
                try db.execute(
                    sql: """
                        UPDATE pending_queue SET status = 'raw', error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                        WHERE id = ?
                        """, arguments: [reason, retryAt, now, id])
            } else {
                // Out of attempts: the fallback stands for good.
                try db.execute(
                    sql: "UPDATE pending_queue SET status = 'done', error = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
                    arguments: [reason, now, id])
            }
            return .deferred(storedObservationID: stored)
        case .failed(let message):
            return try fail(p, id: id, message: message, now: now, in: db)
        }
    }

    /// Inserts the item's observation, the enrichment it owes and its session's compressed tokens.
    private static func insert(_ observation: inout ObservationRecord, owing steps: [String], in db: Database) throws -> Int64 {
        try observation.insertRow(db)
        let id = observation.id ?? db.lastInsertedRowID
        for step in steps {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO enrichment_pending (observation_id, step) VALUES (?, ?)")
                .execute(arguments: [id, step])
        }
        try db.cachedStatement(sql: "UPDATE sessions SET tokens_compressed = tokens_compressed + ? WHERE id = ?")
            .execute(arguments: [observation.compressedTokens ?? 0, observation.sessionId])
        return id
    }

    /// A failed item: retried later (at `retryAt`), or `failed` for good, its error kept for `engram doctor`.
    private static func fail(_ p: ProcessedItem, id: Int64, message: String, now: String, in db: Database) throws -> ProcessedItem.Effect {
        if let retryAt = p.retryAt {
            try db.execute(
                sql: """
                    UPDATE pending_queue SET status = 'pending', error = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ?
                    WHERE id = ?
                    """, arguments: [message, retryAt, now, id])
            return .failed(message, final: false)
        }
        try db.execute(
            sql: "UPDATE pending_queue SET status = 'failed', error = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
            arguments: [message, now, id])
        return .failed(message, final: true)
    }
}
