/// A Claude Code session (or an MCP client's), keyed by the agent's own session id.
public struct SessionRecord: Codable, Sendable, Hashable {

    public var seq: Int64?
    public var id: String
    public var project: String
    public var startedAt: String
    public var updatedAt: String
    public var endedAt: String?
    public var status: String
    public var source: String?
    public var endReason: String?
    public var transcriptPath: String?
    public var summaryText: String?
    public var lastAssistantMessage: String?
    public var promptCount: Int
    public var tokensInjected: Int
    public var tokensCompressed: Int

    public init(
        seq: Int64? = nil, id: String, project: String, startedAt: String, updatedAt: String, endedAt: String? = nil,
        status: String, source: String? = nil, endReason: String? = nil, transcriptPath: String? = nil, summaryText: String? = nil,
        lastAssistantMessage: String? = nil, promptCount: Int = 0, tokensInjected: Int = 0, tokensCompressed: Int = 0
    ) {
        self.seq = seq; self.id = id; self.project = project; self.startedAt = startedAt; self.updatedAt = updatedAt
        self.endedAt = endedAt; self.status = status; self.source = source; self.endReason = endReason
        self.transcriptPath = transcriptPath; self.summaryText = summaryText; self.lastAssistantMessage = lastAssistantMessage
        self.promptCount = promptCount; self.tokensInjected = tokensInjected; self.tokensCompressed = tokensCompressed
    }
}
