import GRDB

/// How many capture-queue items are in each state: what the worker's health reports and `/api/process` answers.
public struct QueueCounts: Sendable, Equatable {
    public var byStatus: [QueueItem.Status: Int]

    /// Items not yet processed: raw (awaiting claim), pending and processing.
    public var waiting: Int { [.raw, .pending, .processing].reduce(0) { $0 + (byStatus[$1] ?? 0) } }

    public init(byStatus: [QueueItem.Status: Int]) {
        self.byStatus = byStatus
    }

    /// The counts now, every status present (zero when none).
    public static func read(_ engram: Engram) async throws -> QueueCounts {
        try await engram.store.writer.read { db in
            var counts = Dictionary(uniqueKeysWithValues: QueueItem.Status.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM pending_queue GROUP BY status") {
                guard let status = QueueItem.Status(rawValue: row["status"] ?? "") else { continue }
                counts[status] = row["n"] ?? 0
            }
            return QueueCounts(byStatus: counts)
        }
    }
}
