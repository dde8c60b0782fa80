import Foundation

/// How a definition changed between two snapshots of a file.
public enum ChangeType: String, Sendable, Codable, CaseIterable {
    case new, modified, unchanged, deleted
}
