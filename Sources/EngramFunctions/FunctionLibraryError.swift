import Foundation

/// A function-library request that cannot be done, with what to do instead.
package enum FunctionLibraryError: LocalizedError, Equatable {
    case parse(String)
    case noFunctions
    case notInFile(String, available: [String])
    case notFound(String)
    case versionNotFound(String, Int)
    case badTests(String)
    case noTests(String)
    case badArguments(String)
    case badReference(String)

    package var errorDescription: String? {
        switch self {
        case .parse(let m): "The file does not parse: \(m)"
        case .noFunctions: "The file has no top-level function: save a file with at least one `def`."
        case let .notInFile(n, available): "No function \(n) in the file; it has: \(available.joined(separator: ", "))."
        case .notFound(let n): "No function \(n) in the library: see `engram functions search`."
        case let .versionNotFound(n, v): "\(n) has no version \(v): see `engram functions versions \(n)`."
        case .badTests(let m):
            "The tests are not valid: \(m). Give a JSON array of {\"args\": [...], \"kwargs\": {...}, \"expect\": value or {\"raises\": \"ValueError\"}}."
        case .noTests(let n): "\(n) has no test cases: save it with --tests TESTS.json."
        case .badArguments(let m): "The arguments are not valid: \(m)."
        case .badReference(let r): "\(r) is not NAME or NAME@VERSION."
        }
    }
}
