import Foundation

/// One definition found in a source file (a row of the function map).
package struct CodeSymbol: Sendable, Hashable, Codable {
    /// Nesting joined by "." without the module, e.g. `AuthService.authenticate`.
    package var qualifiedName: String
    package var kind: SymbolKind
    /// Simple name of the directly enclosing class/type, nil at module level or inside a function.
    package var parentClass: String?
    /// Seed-style signature, e.g. `authenticate(self, email: str, *, retry: int = 3) -> Token`.
    package var signature: String
    /// Decorators / attributes as source text without the leading `@`.
    package var decorators: [String]
    /// First line of the docstring (or doc comment), nil when there is none.
    package var docstring: String?
    package var lineStart: Int
    package var lineEnd: Int
    /// Hash of the normalised token stream; stable under comment/blank-line/docstring-whitespace edits.
    package var bodyHash: String

    /// JSON keys match the stored columns and `engram code map --json`.
    enum CodingKeys: String, CodingKey {
        case qualifiedName = "qualified_name", kind, parentClass = "parent_class", signature, decorators, docstring
        case lineStart = "line_start", lineEnd = "line_end", bodyHash = "body_hash"
    }

    package init(
        qualifiedName: String, kind: SymbolKind, parentClass: String?, signature: String,
        decorators: [String], docstring: String?, lineStart: Int, lineEnd: Int, bodyHash: String
    ) {
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
