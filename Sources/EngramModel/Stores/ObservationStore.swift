/// Observations as read back (the queue processor writes them).
public protocol ObservationStore: Sendable {
    /// The observation with this id.
    func observation(_ id: Int64) throws -> ObservationRecord?
    /// One session's observations, oldest first, at most `limit`.
    func observations(sessionID: String, limit: Int) throws -> [ObservationRecord]
    /// How many observations are stored for `project` (every project when nil).
    func count(project: String?) throws -> Int
}
