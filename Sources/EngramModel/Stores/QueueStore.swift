/// The capture queue as read back (items are added by `CaptureStore.enqueue`).
public protocol QueueStore: Sendable {
    /// How many items are in each status; statuses without items are left out.
    func counts() throws -> [QueueItem.Status: Int]
    /// One session's items, oldest first.
    func items(sessionID: String) throws -> [QueueItem]
    /// The payloads of one session's calls of `tool`, in capture order.
    func payloads(tool: String, sessionID: String) throws -> [String]
    /// The payloads of `tool` calls in the `sessions` latest-started sessions of `project`, leaving out `excluding`.
    func payloads(tool: String, project: String, latestSessions sessions: Int, excluding: String) throws -> [String]
    /// One session's items not processed yet (`pending` or `processing`, whoever holds them).
    func unfinished(sessionID: String) throws -> Int
}
