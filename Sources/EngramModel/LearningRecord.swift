/// Distilled project knowledge whose confidence grows as sessions confirm it.
public struct LearningRecord: Codable, Sendable, Hashable {
    public static let categories = ["architecture", "convention", "gotcha", "dependency", "pattern"]

    public var id: Int64?
    public var project: String?
    public var createdAt: String
    public var updatedAt: String
    public var category: String
    public var content: String
    public var confidence: Double
    public var timesSeen: Int
    /// JSON array of session ids.
    public var sourceSessions: String
    public var isManual: Bool
    public var isActive: Bool

    public init(
        id: Int64?, project: String?, createdAt: String, updatedAt: String, category: String, content: String,
        confidence: Double, timesSeen: Int, sourceSessions: String, isManual: Bool, isActive: Bool
    ) {
        self.id = id; self.project = project; self.createdAt = createdAt; self.updatedAt = updatedAt; self.category = category
        self.content = content; self.confidence = confidence; self.timesSeen = timesSeen; self.sourceSessions = sourceSessions
        self.isManual = isManual; self.isActive = isActive
    }
}
