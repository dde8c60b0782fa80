import Foundation

/// Privacy before storage: drops `<private>…</private>` spans and redacts secrets.
public struct PrivacyFilter: Sendable {
    public init() {}

    /// Cleans one string.
    public func clean(_ text: String) -> String {
        // Placeholder until the real filter lands.
        text
    }

    /// Cleans every string (and secret-named field) inside a JSON value.
    public func clean(_ value: JSONValue) -> JSONValue {
        value
    }
}
