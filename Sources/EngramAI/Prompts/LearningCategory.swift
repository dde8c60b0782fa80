import Foundation

/// The seed's learning categories.
package enum LearningCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case architecture, convention, gotcha, dependency, pattern
}
