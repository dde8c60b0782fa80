import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Projects are told apart by their root path: the nearest ancestor of the agent's
/// working directory that holds `.git`, else the working directory itself.
public enum ProjectLocator {
    /// The project of a hook whose input names no absolute working directory.
    public static let unknownProject = "unknown"

    public static func root(for cwd: String) -> String {
        let start = standardized(cwd)
        var dir = start
        for _ in 0..<64 {
            if exists(dir == "/" ? "/.git" : dir + "/.git") { return dir }
            guard dir != "/", let slash = dir.utf8.lastIndex(of: UInt8(ascii: "/")) else { break }
            dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
        }
        return start
    }

    /// As `URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL.path`, without URL: an absolute
    /// path (relative ones are taken from the current directory) with `.`, `..` and empty components
    /// resolved by name, symbolic links left alone. Every hook calls this; URL's version was a tenth of one.
    static func standardized(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether capture is switched off for this project (`.engram-ignore` at its root).
    public static func isIgnored(projectRoot: String) -> Bool {
        exists(projectRoot + "/.engram-ignore")
    }

    /// Whether the project is on the opt-out list in the data directory (`engram project disable`).
    public static func isDisabled(projectRoot: String, env: [String: String]) -> Bool {
        ProjectOptOut(paths: EngramPaths.fromEnvironment(env)).isDisabled(projectRoot)
    }
}
