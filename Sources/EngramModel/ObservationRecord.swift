/// One compressed tool event: the seed's progressive disclosure (title → summary → detail).
public struct ObservationRecord: Codable, Sendable, Hashable {
    public var id: Int64?
    public var queueId: Int64?
    public var sessionId: String
    public var project: String
    public var createdAt: String
    public var hookType: String
    public var toolName: String?
    public var title: String
    public var summary: String
    public var detail: String?
    /// JSON array of paths.
    public var filesTouched: String
    /// JSON array of {file, name, action}.
    public var functionsChanged: String
    public var rawSizeBytes: Int?
    public var compressedTokens: Int?
    public var compressionTimeMs: Int?
    public var compressor: String
    /// Claude Code's `prompt_id`: the prompt (user_prompts.prompt_id) whose tool call this was.
    public var promptId: String? = nil

    public var files: [String] { JSONList.decode(filesTouched) }

    public init(
        id: Int64? = nil, queueId: Int64? = nil, sessionId: String, project: String, createdAt: String, hookType: String,
        toolName: String?, title: String, summary: String, detail: String? = nil, filesTouched: String = "[]",
        functionsChanged: String = "[]", rawSizeBytes: Int? = nil, compressedTokens: Int? = nil, compressionTimeMs: Int? = nil,
        compressor: String, promptId: String? = nil
    ) {
        self.id = id; self.queueId = queueId; self.sessionId = sessionId; self.project = project; self.createdAt = createdAt
        self.hookType = hookType; self.toolName = toolName; self.title = title; self.summary = summary; self.detail = detail
        self.filesTouched = filesTouched; self.functionsChanged = functionsChanged; self.rawSizeBytes = rawSizeBytes
        self.compressedTokens = compressedTokens; self.compressionTimeMs = compressionTimeMs; self.compressor = compressor
        self.promptId = promptId
    }
}
