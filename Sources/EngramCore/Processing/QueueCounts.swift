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
        let found = try engram.stores.queue.counts()
        return QueueCounts(byStatus: Dictionary(uniqueKeysWithValues: QueueItem.Status.allCases.map { ($0, found[$0] ?? 0) }))
    }
}
