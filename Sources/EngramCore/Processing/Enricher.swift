import Foundation
import GRDB

/// Runs the enrichment steps an observation still owes (`enrichment_pending`), one observation and step at a time:
/// `prepare` outside any transaction, then `apply` and the pending row's deletion in one short transaction. Two
/// enrichers racing on one row both prepare, but only the one that still finds the row applies, so a step is never
/// done twice; a crash between the two leaves the row for the next run. A step that fails is retried on later runs
/// and dropped, with its error logged, after `maxAttempts`, so it can never hold the queue back.
public struct Enricher: Sendable {
    let engram: Engram
    let steps: [any EnrichmentStep]
    public var maxAttempts = 3

    public init(_ engram: Engram, steps: [any EnrichmentStep]) {
        self.engram = engram
        self.steps = steps
    }

    /// Records, inside the transaction that stores `observation`, each step it will need.
    func register(_ observation: ObservationRecord, event: ToolEvent, in db: Database) throws {
        guard let id = observation.id else { return }
        for step in steps where step.applies(to: observation, event: event) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO enrichment_pending (observation_id, step) VALUES (?, ?)")
                .execute(arguments: [id, step.name])
        }
    }

    /// Runs what is owed for `observationIDs` (nil: everything owed, oldest first, up to `limit` rows). Returns the
    /// number of steps applied.
    @discardableResult
    public func run(observationIDs: [Int64]? = nil, limit: Int = 10_000) async throws -> Int {
        guard !steps.isEmpty else { return 0 }
        let owed: [(Int64, String)] = try await engram.store.writer.read { db in
            var sql = "SELECT observation_id, step FROM enrichment_pending"
            var args: [any DatabaseValueConvertible] = []
            if let ids = observationIDs {
                guard !ids.isEmpty else { return [] }
                sql += " WHERE observation_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
                args = ids
            }
            sql += " ORDER BY observation_id LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { ($0[0], $0[1]) }
        }
        var applied = 0
        for (id, name) in owed {
            guard let step = steps.first(where: { $0.name == name }) else { continue }
            if try await run(step, observationID: id) { applied += 1 }
        }
        return applied
    }

    /// One step for one observation. True when this call applied it.
    private func run<S: EnrichmentStep>(_ step: S, observationID id: Int64) async throws -> Bool {
        guard let (observation, event) = try await load(id) else {
            try await finish(id, step.name)
            return false
        }
        let prepared: S.Prepared?
        do {
            prepared = try await step.prepare(observation, event: event)
        } catch is CancellationError {
            // Stopped (SIGTERM), not failed: the row stays owed, uncharged, for the next run.
            throw CancellationError()
        } catch {
            try await failed(id, step.name, error)
            return false
        }
        do {
            return try await engram.store.writer.write { db in
                // Another enricher got here first (or the observation was forgotten meanwhile): nothing to do.
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM enrichment_pending WHERE observation_id = ? AND step = ?",
                                       arguments: [id, step.name]) != nil else { return false }
                if let prepared, let current = try ObservationRecord.fetchOne(db, key: id) {
                    try step.apply(prepared, to: current, in: db)
                }
                try db.execute(sql: "DELETE FROM enrichment_pending WHERE observation_id = ? AND step = ?", arguments: [id, step.name])
                return prepared != nil
            }
        } catch where !QueueProcessor.isStoreWide(error) {
            try await failed(id, step.name, error)
            return false
        }
    }

    /// The observation and the tool event it came from (the queue keeps each item's payload).
    private func load(_ id: Int64) async throws -> (ObservationRecord, ToolEvent)? {
        try await engram.store.writer.read { db in
            guard let observation = try ObservationRecord.fetchOne(db, key: id), let queueID = observation.queueId,
                  let item = try QueueItem.fetchOne(db, key: queueID),
                  let event = try? QueueProcessor.decode(item) else { return nil }
            return (observation, event)
        }
    }

    private func finish(_ id: Int64, _ step: String) async throws {
        try await engram.store.writer.write { db in
            try db.execute(sql: "DELETE FROM enrichment_pending WHERE observation_id = ? AND step = ?", arguments: [id, step])
        }
    }

    private func failed(_ id: Int64, _ step: String, _ error: any Error) async throws {
        let message = ErrorText.oneLine(error, limit: 500)
        try await engram.store.writer.write { db in
            try db.execute(sql: "UPDATE enrichment_pending SET attempts = attempts + 1, error = ? WHERE observation_id = ? AND step = ?",
                           arguments: [message, id, step])
            let attempts = try Int.fetchOne(db, sql: "SELECT attempts FROM enrichment_pending WHERE observation_id = ? AND step = ?",
                                            arguments: [id, step]) ?? 0
            if attempts >= maxAttempts {
                try db.execute(sql: "DELETE FROM enrichment_pending WHERE observation_id = ? AND step = ?", arguments: [id, step])
            }
            try engram.events.record(.init("enrich.error", ["observation_id": .number(Double(id)), "step": .string(step),
                                                            "error": .string(message), "attempts": .number(Double(attempts))]), in: db)
        }
        engram.logger.warning("enrichment \(step) of observation #\(id) failed: \(message)")
    }
}
