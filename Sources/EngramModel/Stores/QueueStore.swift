/// The capture queue as read back (items are added by `CaptureStore.enqueue`).
public protocol QueueStore: Sendable {
    /// How many items are in each status; statuses without items are left out.
    func counts() throws -> [QueueItem.Status: Int]
    /// One session's items, oldest first.
    func items(sessionID: String) throws -> [QueueItem]
    /// One session's items not processed yet (`pending` or `processing`, whoever holds them).
    func unfinished(sessionID: String) throws -> Int
}
