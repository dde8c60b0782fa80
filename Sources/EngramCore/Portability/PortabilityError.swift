import Foundation

/// Why an import was refused. Nothing is written when any of these is thrown.
public enum PortabilityError: LocalizedError, Sendable, Equatable {
    case emptyFile
    case badHeader(String)
    case unsupportedVersion(Int)
    /// A line (1-based) that cannot be imported, and what is wrong with it.
    case badLine(Int, String)
    case countMismatch(String, expected: Int, found: Int)
    /// A line (1-based) longer than the importer accepts, its size and the limit, in bytes.
    case lineTooLong(Int, Int, Int)
    case unreadable(String)

    public var errorDescription: String? {
        switch self {
        case .emptyFile:
            return "The import file is empty. Give a file written by `engram export`."
        case .badHeader(let why):
            return "Line 1 is not an engram export header (\(why)). Give a file written by `engram export`; nothing was imported."
        case .unsupportedVersion(let v):
            return
                "The file is engram-export version \(v), but this engram reads version \(ExportFormat.version). Upgrade engram to import it; nothing was imported."
        case .badLine(let line, let why):
            return "Line \(line): \(why). Fix or remove that line and import again; nothing was imported."
        case .lineTooLong(let line, let size, let limit):
            return
                "Line \(line) is \(size >> 20 > 0 ? "\(size >> 20) MB" : "\(size) bytes") or more, longer than any record engram writes (at most \(limit >> 20) MB). Give a file written by `engram export`; nothing was imported."
        case .unreadable(let path):
            return "Cannot read \(path). Check the path and its permissions; nothing was imported."
        case .countMismatch(let type, let expected, let found):
            return
                "The header promises \(expected) \(type) records but the file holds \(found): it looks truncated or edited. Export again; nothing was imported."
        }
    }

    /// The 1-based line number a `badLine` error points at.
    public var line: Int? {
        if case .badLine(let n, _) = self { return n }
        return nil
    }
}
