import Foundation

/// How a call's target was worked out (seed's resolution kinds).
package enum CallResolution: String, Sendable, Codable, CaseIterable {
    case direct
    case selfMethod = "self_method"
    case `import`
    /// Worked out by following values: what a name, attribute, parameter, container or return holds.
    case value
    case unresolved
}
