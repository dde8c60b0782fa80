import Foundation

/// One definition's change between snapshots.
public struct SymbolChange: Sendable, Hashable, Codable {
    /// Identity: qualified name plus occurrence index among same-named definitions (0, 1, …).
    public var qualifiedName: String
    public var occurrence: Int
    public var change: ChangeType
    /// The definition in the new snapshot; for deleted ones, the last version seen.
    public var symbol: CodeSymbol
    /// Hash in the old snapshot (nil when new).
    public var previousHash: String?

    public init(qualifiedName: String, occurrence: Int, change: ChangeType, symbol: CodeSymbol, previousHash: String?) {
        self.qualifiedName = qualifiedName
        self.occurrence = occurrence
        self.change = change
        self.symbol = symbol
        self.previousHash = previousHash
    }
}
