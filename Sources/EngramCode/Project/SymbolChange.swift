import Foundation

/// One definition's change between snapshots.
package struct SymbolChange: Sendable, Hashable, Codable {
    /// Identity: qualified name plus occurrence index among same-named definitions (0, 1, …).
    package var qualifiedName: String
    package var occurrence: Int
    package var change: ChangeType
    /// The definition in the new snapshot; for deleted ones, the last version seen.
    package var symbol: CodeSymbol
    /// Hash in the old snapshot (nil when new).
    package var previousHash: String?

    package init(qualifiedName: String, occurrence: Int, change: ChangeType, symbol: CodeSymbol, previousHash: String?) {
        self.qualifiedName = qualifiedName
        self.occurrence = occurrence
        self.change = change
        self.symbol = symbol
        self.previousHash = previousHash
    }
}
