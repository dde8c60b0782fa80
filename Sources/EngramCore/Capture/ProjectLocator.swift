import Foundation

/// Projects are told apart by their root path: the nearest ancestor of the agent's
/// working directory that holds `.git`, else the working directory itself.
public enum ProjectLocator {
    public static func root(for cwd: String) -> String {
        let start = URL(fileURLWithPath: cwd, isDirectory: true).standardizedFileURL.path
        var dir = start
        let fm = FileManager.default
        for _ in 0..<64 {
            if fm.fileExists(atPath: dir + "/.git") { return dir }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { break }
            dir = parent
        }
        return start
    }

    /// Whether capture is switched off for this project (`.engram-ignore` at its root).
    public static func isIgnored(projectRoot: String) -> Bool {
        FileManager.default.fileExists(atPath: projectRoot + "/.engram-ignore")
    }

    /// Whether the project is on the opt-out list in the data directory (`engram project disable`).
    public static func isDisabled(projectRoot: String, env: [String: String]) -> Bool {
        ProjectOptOut(paths: EngramPaths.fromEnvironment(env)).isDisabled(projectRoot)
    }
}
