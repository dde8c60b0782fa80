import Foundation

/// One piece of reusable project knowledge proposed by the model.
package struct ExtractedLearning: Sendable, Hashable, Codable {
    package var category: LearningCategory
    package var content: String
    /// The model's own confidence, 0...1; the learnings engine decides the stored confidence.
    package var confidence: Double

    package init(category: LearningCategory, content: String, confidence: Double) {
        self.category = category
        self.content = content
        self.confidence = confidence
    }
}
