import Foundation

/// Source language of an analysed file.
package enum CodeLanguage: String, Sendable, Codable {
    case python, swift

    /// Language for a path by extension, nil when unsupported.
    package init?(path: String) {
        if path.hasSuffix(".py") || path.hasSuffix(".pyi") { self = .python } else if path.hasSuffix(".swift") { self = .swift } else { return nil }
    }
}

/// Everything extracted from one file.
package struct CodeFileAnalysis: Sendable, Hashable, Codable {
    /// Path as given (normally relative to the project root).
    package var path: String
    package var language: CodeLanguage
    package var symbols: [CodeSymbol]
    package var calls: [CodeCall]
    package var imports: [CodeImport]
    /// Base-class expressions per class qualified name (as source text), used for hierarchy resolution.
    package var classBases: [String: [String]]
    /// Scopes, value-moving statements and call sites for value-flow resolution (Python only; not encoded).
    package var flow = PyFlowBox()

    enum CodingKeys: String, CodingKey { case path, language, symbols, calls, imports, classBases }

    package init(
        path: String, language: CodeLanguage, symbols: [CodeSymbol], calls: [CodeCall],
        imports: [CodeImport], classBases: [String: [String]] = [:]
    ) {
        self.path = path
        self.language = language
        self.symbols = symbols
        self.calls = calls
        self.imports = imports
        self.classBases = classBases
    }
}
