/// A record as search shows it, read from the keyword index by its index key.
public struct SearchRecord: Sendable, Equatable {
    public var kind: RecordKind
    /// The record's id in its own store (an observation's number, a summary's session id, a learning's number).
    public var ref: String
    public var project: String
    public var createdAt: String
    /// The indexed title.
    public var title: String
    /// The indexed body: whole, or its first 160 characters (`KeywordIndex.records`).
    public var body: String
    /// The record's own text beside the indexed one: an observation's summary, a session's summary, a learning's content.
    public var summary: String
    /// Files an observation touched.
    public var files: [String]
    /// The session an observation or summary belongs to.
    public var sessionID: String?
    /// A learning's category and confidence.
    public var category: String?
    public var confidence: Double?

    public init(
        kind: RecordKind, ref: String, project: String, createdAt: String, title: String, body: String, summary: String = "",
        files: [String] = [], sessionID: String? = nil, category: String? = nil, confidence: Double? = nil
    ) {
        self.kind = kind; self.ref = ref; self.project = project; self.createdAt = createdAt; self.title = title; self.body = body
        self.summary = summary; self.files = files; self.sessionID = sessionID; self.category = category; self.confidence = confidence
    }
}
