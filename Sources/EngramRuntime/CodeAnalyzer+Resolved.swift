import EngramCode
import Foundation

extension CodeAnalyzer {
    /// Analyses with calls resolved across the project (Python imports, class hierarchy).
    func analyzeResolved(source: Data, path: String, projectRoot: URL, resolver: inout ProjectResolver) throws -> CodeFileAnalysis? {
        guard var analysis = try analyze(source: source, path: path) else { return nil }
        if analysis.language == .python { analysis.calls = resolver.resolveCalls(of: analysis) }
        return analysis
    }
}
