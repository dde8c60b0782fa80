/// One definition (function, method, class) in a stored snapshot of a file, and how it changed since the file's
/// previous snapshot. A definition deleted by the snapshot is kept in it, marked `deleted`, so the change is recorded.
public struct CodeMapSymbol: Sendable, Hashable, Codable {
    public var qualifiedName: String
    /// Keeps same-named definitions of one file (setters, overloads) apart: 0 for the first, 1 for the next, ...
    public var ordinal: Int
    /// `function`, `async_function`, `method`, `class`, ... (EngramCode's `SymbolKind`).
    public var kind: String
    public var parentClass: String?
    public var signature: String
    public var decorators: [String]
    public var docstring: String?
    public var lineStart: Int
    public var lineEnd: Int
    public var bodyHash: String
    /// The body's hash in the previous snapshot, when it was there.
    public var previousHash: String?
    /// `new`, `modified`, `unchanged` or `deleted`; nil when not known (rows imported from elsewhere).
    public var change: String?

    public init(
        qualifiedName: String, ordinal: Int = 0, kind: String, parentClass: String?, signature: String, decorators: [String],
        docstring: String?, lineStart: Int, lineEnd: Int, bodyHash: String, previousHash: String? = nil, change: String?
    ) {
        self.qualifiedName = qualifiedName; self.ordinal = ordinal; self.kind = kind; self.parentClass = parentClass
        self.signature = signature; self.decorators = decorators; self.docstring = docstring; self.lineStart = lineStart
        self.lineEnd = lineEnd; self.bodyHash = bodyHash; self.previousHash = previousHash; self.change = change
    }

    /// Whether the definition is still in the file (not marked deleted).
    public var isPresent: Bool { change != "deleted" }
}
