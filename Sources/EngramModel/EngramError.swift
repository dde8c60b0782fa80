import Foundation

/// Errors a user can act on; each message says what to do.
public enum EngramError: LocalizedError, Sendable, Equatable {
    case dataDirUnusable(String, String)
    case databaseFromNewerVersion(String)
    case databaseUnreadable(String, String)
    case invalidConfig(String)
    case notFound(String)
    case invalidArgument(String)

    public var errorDescription: String? {
        switch self {
        case .dataDirUnusable(let path, let why):
            return "engram's data directory \(path) is unusable: \(why). Fix its permissions or set ENGRAM_HOME to a writable directory."
        case .databaseFromNewerVersion(let path):
            return "The database \(path) was written by a newer engram. Upgrade engram; nothing was changed."
        case .databaseUnreadable(let path, let why):
            return "Cannot open the database \(path): \(why). Run `engram doctor`, or move the file aside to start fresh."
        case .invalidConfig(let why):
            return "Invalid configuration: \(why)"
        case .notFound(let what):
            return "Not found: \(what)"
        case .invalidArgument(let why):
            return why
        }
    }
}
