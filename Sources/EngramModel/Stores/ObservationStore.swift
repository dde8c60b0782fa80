/// Observations as read back (the queue processor writes them).
public protocol ObservationStore: Sendable {
    /// One session's observations, oldest first, at most `limit`.
    func observations(sessionID: String, limit: Int) throws -> [ObservationRecord]
}
