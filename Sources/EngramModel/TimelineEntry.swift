/// One line of a timeline: an observation, a prompt, a session's start or end.
public struct TimelineEntry: Sendable, Codable, Equatable {
    /// `#42` (observation), `session:ID` (session start/end), `prompt` entries carry their session id.
    public var id: String
    /// observation | prompt | session_start | session_end
    public var kind: String
    public var createdAt: String
    public var title: String
    public var sessionId: String?
    public var files: [String]
    /// True for the observation the timeline is centred on.
    public var isAnchor: Bool

    public init(id: String, kind: String, createdAt: String, title: String, sessionId: String?, files: [String], isAnchor: Bool) {
        self.id = id; self.kind = kind; self.createdAt = createdAt; self.title = title; self.sessionId = sessionId
        self.files = files; self.isAnchor = isAnchor
    }
}
