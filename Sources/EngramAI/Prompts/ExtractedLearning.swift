import Foundation

/// One piece of reusable project knowledge proposed by the model.
public struct ExtractedLearning: Sendable, Hashable, Codable {
    public var category: LearningCategory
    public var content: String
    /// The model's own confidence, 0...1; the learnings engine decides the stored confidence.
    public var confidence: Double

    public init(category: LearningCategory, content: String, confidence: Double) {
        self.category = category
        self.content = content
        self.confidence = confidence
    }
}
