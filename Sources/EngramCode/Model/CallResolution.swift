import Foundation

/// How a call's target was worked out (seed's resolution kinds).
public enum CallResolution: String, Sendable, Codable, CaseIterable {
    case direct
    case selfMethod = "self_method"
    case `import`
    case unresolved
}
