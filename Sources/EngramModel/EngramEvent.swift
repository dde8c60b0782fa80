/// One entry of the structured event log (the seed's `event_log`): what happened, to which session and project.
public struct EngramEvent: Sendable, Equatable {
    public var type: String
    public var data: JSONValue
    public var sessionID: String?
    public var project: String?
    public var durationMs: Int?
    public var tokensIn: Int?
    public var tokensOut: Int?
    /// When it happened (ISO 8601 UTC); the event log stamps it when recording.
    public var timestamp: String?

    public init(
        _ type: String, _ data: JSONValue = [:], sessionID: String? = nil, project: String? = nil,
        durationMs: Int? = nil, tokensIn: Int? = nil, tokensOut: Int? = nil, timestamp: String? = nil
    ) {
        self.type = type; self.data = data; self.sessionID = sessionID; self.project = project
        self.durationMs = durationMs; self.tokensIn = tokensIn; self.tokensOut = tokensOut; self.timestamp = timestamp
    }
}
