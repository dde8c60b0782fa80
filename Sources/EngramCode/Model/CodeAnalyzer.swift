import Foundation

/// Entry point that picks the extractor by file extension (`.py`/`.pyi` → Python, `.swift` → Swift).
package struct CodeAnalyzer: Sendable {
    package init() {}

    /// Analysis of a supported file, nil for other extensions; throws `CodeParseError` for unparseable source.
    package func analyze(source: Data, path: String) throws(CodeParseError) -> CodeFileAnalysis? {
        switch CodeLanguage(path: path) {
        case .python?: return try PythonExtractor().extract(source: source, path: path)
        case .swift?: return try SwiftExtractor().extract(source: source, path: path)
        case nil: return nil
        }
    }
}
