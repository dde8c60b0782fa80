/// A memory an agent saved on purpose (`save_memory`), as stored.
public struct Memory: Sendable, Codable, Equatable {
    /// `M12`: what `get_observations` and `engram forget` take.
    public var id: String
    public var project: String?
    public var createdAt: String
    public var content: String
    public var tags: [String]
    public var metadata: JSONValue
    public var source: String?
    /// Higher is better (the keyword rank, or the fused score of a hybrid search); nil when listed rather than searched.
    public var score: Double?
    /// Which ranked lists found it (`keyword`, `semantic`) in a hybrid search; nil otherwise.
    public var matched: [String]? = nil

    public init(
        id: String, project: String?, createdAt: String, content: String, tags: [String], metadata: JSONValue,
        source: String?, score: Double? = nil, matched: [String]? = nil
    ) {
        self.id = id; self.project = project; self.createdAt = createdAt; self.content = content; self.tags = tags
        self.metadata = metadata; self.source = source; self.score = score; self.matched = matched
    }

    /// The number in `M12`, nil for an id of another shape.
    public var number: Int64? { id.first == "M" ? Int64(id.dropFirst()) : nil }
}

/// A memory to store: already cleaned by the privacy filter and checked by the service.
public struct NewMemory: Sendable, Equatable {
    public var project: String?
    public var createdAt: String
    public var content: String
    public var tags: [String]
    public var metadata: JSONValue
    public var source: String?

    public init(project: String?, createdAt: String, content: String, tags: [String], metadata: JSONValue, source: String?) {
        self.project = project; self.createdAt = createdAt; self.content = content; self.tags = tags
        self.metadata = metadata; self.source = source
    }
}
