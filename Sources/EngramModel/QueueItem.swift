/// A captured hook event waiting to be turned into an observation.
public struct QueueItem: Codable, Sendable, Hashable {
    /// raw: kept unprocessed because the LLM was unavailable; caught up later.
    public enum Status: String, Codable, Sendable, CaseIterable { case raw, pending, processing, done, failed }

    public var id: Int64?
    public var createdAt: String
    public var updatedAt: String
    public var sessionId: String
    public var project: String
    public var hookType: String
    public var toolName: String?
    public var payload: String
    public var rawSizeBytes: Int
    public var status: Status
    public var attempts: Int
    public var error: String?
    public var nextAttemptAt: String?
    public var leaseUntil: String?

    public init(
        id: Int64? = nil, createdAt: String, updatedAt: String, sessionId: String, project: String, hookType: String,
        toolName: String?, payload: String, rawSizeBytes: Int, status: Status = .pending, attempts: Int = 0,
        error: String? = nil, nextAttemptAt: String? = nil, leaseUntil: String? = nil
    ) {
        self.id = id; self.createdAt = createdAt; self.updatedAt = updatedAt; self.sessionId = sessionId; self.project = project
        self.hookType = hookType; self.toolName = toolName; self.payload = payload; self.rawSizeBytes = rawSizeBytes
        self.status = status; self.attempts = attempts; self.error = error; self.nextAttemptAt = nextAttemptAt; self.leaseUntil = leaseUntil
    }
}
