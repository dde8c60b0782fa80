import Foundation

/// How a definition changed between two snapshots of a file.
package enum ChangeType: String, Sendable, Codable, CaseIterable {
    case new, modified, unchanged, deleted
}
