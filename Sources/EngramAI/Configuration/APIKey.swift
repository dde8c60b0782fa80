import Foundation

/// An API key that never prints itself: descriptions, debug output and `dump` show only a redaction.
package struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret, for the HTTP header only.
    package let value: String

    /// Returns nil for an empty or whitespace-only key, so "set but blank" counts as missing.
    package init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        self.value = trimmed
    }

    package var description: String { "APIKey(redacted)" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
