import Foundation

/// Why the worker could not start or be reached; each message says what to do.
package enum WorkerError: LocalizedError {
    case lockFailed(String, String)
    case didNotStart(String)
    case didNotStop(Int32)

    package var errorDescription: String? {
        switch self {
        case .lockFailed(let path, let why): "cannot lock \(path) (\(why)); check the data directory's permissions"
        case .didNotStart(let log): "the worker did not answer in time; see \(log)"
        case .didNotStop(let pid): "the worker (pid \(pid)) did not stop within the grace period; it was killed"
        }
    }
}
