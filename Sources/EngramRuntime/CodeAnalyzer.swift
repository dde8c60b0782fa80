import EngramCode
import Foundation

/// One entry point for analysing a source file of any supported language.
public struct CodeAnalyzer: Sendable {
    public init() {}

    /// Nil when the language is not supported; throws when the file does not parse.
    public func analyze(source: Data, path: String) throws -> CodeFileAnalysis? {
        switch CodeLanguage(path: path) {
        case .python: return try PythonExtractor().extract(source: source, path: path)
        case .swift: return try SwiftExtractor().extract(source: source, path: path)
        case nil: return nil
        }
    }

    /// Analyses with calls resolved across the project (Python imports, class hierarchy).
    public func analyzeResolved(source: Data, path: String, projectRoot: URL, resolver: inout ProjectResolver) throws -> CodeFileAnalysis? {
        guard var analysis = try analyze(source: source, path: path) else { return nil }
        if analysis.language == .python { analysis.calls = resolver.resolveCalls(of: analysis) }
        return analysis
    }
}
