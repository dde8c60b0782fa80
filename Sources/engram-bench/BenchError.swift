import Foundation

/// Why a benchmark could not start.
enum BenchError: LocalizedError {
    case missingEngram(String)
    case missingScript(String)

    var errorDescription: String? {
        switch self {
        case .missingEngram(let path):
            "no engram binary at \(path): build both with `swift build -c release` (engram-bench measures the engram beside it)"
        case .missingScript(let path):
            "peer program \(path) not found: run engram-bench from the repository root or pass --scripts DIR"
        }
    }
}
