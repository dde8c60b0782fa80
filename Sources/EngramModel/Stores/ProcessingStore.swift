/// The queue as the processor drains it: claims under a lease, a batch's results written as one unit of work, and
/// claimed items put back. An item becomes at most one observation, whoever writes it and however often.
public protocol ProcessingStore: Sendable {
    /// Marks up to `max` claimable items `processing` for `owner` until `lease` and returns them, oldest first; each
    /// claim counts an attempt. Claimable: `pending` items (and `raw` ones when `includeRaw`) whose retry time is not
    /// after `now`, and `processing` items whose lease ran out or whose owner `isDead` (asked about other owners only).
    /// With `takeOver` and a `sessionID`, every `pending` or `processing` item of that session, whoever holds it. Two
    /// callers never claim one item at once while its lease runs.
    func claim(
        max: Int, sessionID: String?, includeRaw: Bool, takeOver: Bool, owner: String, lease: String, now: String,
        isDead: (String) -> Bool
    ) throws -> [QueueItem]
    /// Puts claimed items that were not written back in the queue, as claimable as before their claim (their attempt
    /// given back); items no longer `processing` are left alone.
    func release(_ ids: [Int64]) throws
    /// Puts back every `processing` item with no recorded owner or an owner `isDead` says is dead. Returns how many.
    @discardableResult
    func releaseAbandoned(isDead: (String) -> Bool) throws -> Int
    /// Writes a batch's results in one transaction: each item's observation (once per item: an item that already has
    /// one keeps it, unless the outcome may replace it), the enrichment it owes, the item's new status, its session's
    /// counters, and the events `events` returns for what was done. Each item is written on its own: one whose write
    /// fails for a reason of its own (a constraint) is undone alone and recorded as a failure, described by
    /// `describe`; an error of the store as a whole (`StoreFailure.isStoreWide`) fails the batch and writes nothing.
    func commit(
        _ items: [ProcessedItem], now: String, describe: (any Error) -> String,
        events: (ProcessedItem, ProcessedItem.Effect) -> [EngramEvent]
    ) throws -> ProcessedBatch
}
