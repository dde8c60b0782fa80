import Foundation

/// One definition found in a source file (a row of the function map).
public struct CodeSymbol: Sendable, Hashable, Codable {
    /// Nesting joined by "." without the module, e.g. `AuthService.authenticate`.
    public var qualifiedName: String
    public var kind: SymbolKind
    /// Simple name of the directly enclosing class/type, nil at module level or inside a function.
    public var parentClass: String?
    /// Seed-style signature, e.g. `authenticate(self, email: str, *, retry: int = 3) -> Token`.
    public var signature: String
    /// Decorators / attributes as source text without the leading `@`.
    public var decorators: [String]
    /// First line of the docstring (or doc comment), nil when there is none.
    public var docstring: String?
    public var lineStart: Int
    public var lineEnd: Int
    /// Hash of the normalised token stream; stable under comment/blank-line/docstring-whitespace edits.
    public var bodyHash: String

    /// JSON keys match the stored columns and `engram code map --json`.
    enum CodingKeys: String, CodingKey {
        case qualifiedName = "qualified_name", kind, parentClass = "parent_class", signature, decorators, docstring
        case lineStart = "line_start", lineEnd = "line_end", bodyHash = "body_hash"
    }

    public init(qualifiedName: String, kind: SymbolKind, parentClass: String?, signature: String,
                decorators: [String], docstring: String?, lineStart: Int, lineEnd: Int, bodyHash: String) {
        self.qualifiedName = qualifiedName
        self.kind = kind
        self.parentClass = parentClass
        self.signature = signature
        self.decorators = decorators
        self.docstring = docstring
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.bodyHash = bodyHash
    }
}
