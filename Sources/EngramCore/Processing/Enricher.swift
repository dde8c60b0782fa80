import Foundation

/// Runs the enrichment steps an observation still owes (`enrichment_pending`), one observation and step at a time:
/// `prepare` outside any transaction, then its result stored and the pending row retired in one short transaction
/// (`EnrichmentStore.complete`). Two enrichers racing on one row both prepare, but only the one that still finds the
/// row stores, so a step is never done twice; a crash between the two leaves the row for the next run. A step that fails is retried on later runs
/// and dropped, with its error logged, after `maxAttempts`, so it can never hold the queue back.
public struct Enricher: Sendable {
    let engram: Engram
    let steps: [any EnrichmentStep]
    public var maxAttempts = 3

    public init(_ engram: Engram, steps: [any EnrichmentStep]) {
        self.engram = engram
        self.steps = steps
    }

    /// The steps `observation` will owe once it is stored (written with it by `ProcessingStore.commit`).
    func owed(by observation: ObservationRecord, event: ToolEvent) -> [String] {
        steps.filter { $0.applies(to: observation, event: event) }.map(\.name)
    }

    /// Runs what is owed for `observationIDs` (nil: everything owed, oldest first, up to `limit` rows). Returns the
    /// number of steps applied.
    @discardableResult
    public func run(observationIDs: [Int64]? = nil, limit: Int = 10_000) async throws -> Int {
        guard !steps.isEmpty else { return 0 }
        let owed = try engram.stores.enrichment.owed(observationIDs: observationIDs, limit: limit)
        var applied = 0
        for row in owed {
            guard let step = steps.first(where: { $0.name == row.step }) else { continue }
            if try await run(step, row) { applied += 1 }
        }
        return applied
    }

    /// One step for one observation. True when this call applied it.
    private func run(_ step: any EnrichmentStep, _ owed: OwedEnrichment) async throws -> Bool {
        let store = engram.stores.enrichment
        // The observation and the tool event it came from (the queue keeps each item's payload).
        guard let subject = try store.subject(observationID: owed.observationID),
            let event = try? QueueProcessor.decode(subject.item)
        else {
            try store.retire(owed)
            return false
        }
        let prepared: Enrichment?
        do {
            prepared = try await step.prepare(subject.observation, event: event)
        } catch is CancellationError {
            // Stopped (SIGTERM), not failed: the row stays owed, uncharged, for the next run.
            throw CancellationError()
        } catch {
            try failed(owed, error)
            return false
        }
        do {
            guard let events = try store.complete(owed, with: prepared, now: engram.now) else { return false }
            engram.events.stored(events)
            return prepared != nil
        } catch  where !QueueProcessor.isStoreWide(error) {
            try failed(owed, error)
            return false
        }
    }

    private func failed(_ owed: OwedEnrichment, _ error: any Error) throws {
        let message = ErrorText.oneLine(error, limit: 500)
        let event = try engram.stores.enrichment.fail(owed, error: message, maxAttempts: maxAttempts, now: engram.now) { attempts in
            EngramEvent(
                "enrich.error",
                [
                    "observation_id": .number(Double(owed.observationID)), "step": .string(owed.step),
                    "error": .string(message), "attempts": .number(Double(attempts)),
                ])
        }
        engram.events.stored([event])
        engram.logger.warning("enrichment \(owed.step) of observation #\(owed.observationID) failed: \(message)")
    }
}
