/// A stored snapshot of one file: its definitions (those it deleted included, marked) and its calls, in line order.
public struct CodeFileSnapshot: Sendable, Hashable {
    public var project: String
    /// The path as stored (relative to the project when the file is inside it).
    public var file: String
    public var snapshotAt: String
    public var symbols: [CodeMapSymbol]
    public var calls: [CodeMapCall]

    public init(project: String, file: String, snapshotAt: String, symbols: [CodeMapSymbol], calls: [CodeMapCall]) {
        self.project = project; self.file = file; self.snapshotAt = snapshotAt; self.symbols = symbols; self.calls = calls
    }

    /// The definitions still in the file.
    public var definitions: [CodeMapSymbol] { symbols.filter(\.isPresent) }
}
