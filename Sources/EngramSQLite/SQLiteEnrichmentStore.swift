import EngramModel
import GRDB

/// `enrichment_pending`: one row per step an observation owes, deleted in the transaction that stores the step's
/// result, so of two enrichers racing on a row only the one that still finds it writes.
package struct SQLiteEnrichmentStore: EnrichmentStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func owed(observationIDs: [Int64]?, limit: Int) throws -> [OwedEnrichment] {
        try writer.read { db in
            var sql = "SELECT observation_id, step FROM enrichment_pending"
            var args: [any DatabaseValueConvertible] = []
            if let ids = observationIDs {
                guard !ids.isEmpty else { return [] }
                sql += " WHERE observation_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
                args = ids
            }
            sql += " ORDER BY observation_id, step LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { OwedEnrichment(observationID: $0[0], step: $0[1]) }
        }
    }

    package func subject(observationID id: Int64) throws -> EnrichmentSubject? {
        try writer.read { db in
            guard let observation = try ObservationRecord.fetchOne(db, key: id), let queueID = observation.queueId,
                let item = try QueueItem.fetchOne(db, key: queueID)
            else { return nil }
            return EnrichmentSubject(observation: observation, item: item)
        }
    }

    package func complete(_ owed: OwedEnrichment, with enrichment: Enrichment?, now: String) throws -> [EngramEvent]? {
        try writer.write { db in
            // Another enricher got here first (or the observation was forgotten meanwhile): nothing to do.
            guard
                try Int.fetchOne(
                    db, sql: "SELECT 1 FROM enrichment_pending WHERE observation_id = ? AND step = ?",
                    arguments: [owed.observationID, owed.step]) != nil
            else { return nil }
            var events: [EngramEvent] = []
            if let enrichment, try Int.fetchOne(db, sql: "SELECT 1 FROM observations WHERE id = ?", arguments: [owed.observationID]) != nil {
                events = try Self.store(enrichment, now: now, in: db)
            }
            try db.execute(sql: "DELETE FROM enrichment_pending WHERE observation_id = ? AND step = ?", arguments: [owed.observationID, owed.step])
            return events
        }
    }

    private static func store(_ enrichment: Enrichment, now: String, in db: Database) throws -> [EngramEvent] {
        switch enrichment {
        case .codeSnapshot(let project, let file, let preferredAt, let build):
            var events: [EngramEvent] = []
            let at = try SQLiteCodeMapStore.record(project: project, file: file, preferredAt: preferredAt, in: db) { previous in
                let snapshot = try build(previous)
                events = snapshot.events
                return snapshot
            }
            return SQLiteProcessingStore.stamped(events, at)
        case .vector(let key, let model, let vector):
            guard let source = try source(key, in: db) else { return [] }
            try SQLiteEmbeddings.save(db, source: source, model: model, vector: vector, now: now)
            return []
        case .vectorFailed(let key, let model, let error):
            guard let source = try source(key, in: db) else { return [] }
            try SQLiteEmbeddings.markFailed(db, source: source, model: model, error: error, now: now)
            return []
        case .events(let events):
            let stamped = SQLiteProcessingStore.stamped(events, now)
            try SQLiteEvents.insert(stamped, now: now, in: db)
            return stamped
        }
    }

    /// The embeddings row's identity for `key` (its text is not stored); nil when the record is gone, so no vector is
    /// kept for nothing.
    static func source(_ key: VectorKey, in db: Database) throws -> SQLiteEmbeddings.Source? {
        let table: String
        switch key.kind {
        case .observation: table = "observations"
        case .learning: table = "learnings"
        case .memory: table = "memories"
        case .summary: table = "sessions"
        }
        if key.kind != .summary {
            let found = try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM \(table) WHERE id = ?"), arguments: [Int64(key.ref) ?? -1])
            guard found != nil else { return nil }
        }
        return try SQLiteEmbeddings.indexKey(db, key).map { SQLiteEmbeddings.Source(kind: key.kind, ref: key.ref, ftsRowid: $0, text: "") }
    }

    package func retire(_ owed: OwedEnrichment) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM enrichment_pending WHERE observation_id = ? AND step = ?", arguments: [owed.observationID, owed.step])
        }
    }

    package func fail(_ owed: OwedEnrichment, error: String, maxAttempts: Int, now: String, event: (Int) -> EngramEvent) throws -> EngramEvent {
        try writer.write { db in
            let args: StatementArguments = [owed.observationID, owed.step]
            try db.execute(
                sql: "UPDATE enrichment_pending SET attempts = attempts + 1, error = ? WHERE observation_id = ? AND step = ?",
                arguments: [error] + args)
            let attempts =
                try Int.fetchOne(
                    db, sql: "SELECT attempts FROM enrichment_pending WHERE observation_id = ? AND step = ?",
                    arguments: args) ?? 0
            if attempts >= maxAttempts {
                try db.execute(sql: "DELETE FROM enrichment_pending WHERE observation_id = ? AND step = ?", arguments: args)
            }
            let written = SQLiteProcessingStore.stamped([event(attempts)], now)
            try SQLiteEvents.insert(written, now: now, in: db)
            return written[0]
        }
    }
}
