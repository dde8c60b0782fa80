import Foundation

/// The per-project off switch: a small text file in the data directory (one project root
/// per line), read by every hook before the database is opened. Kept in `$ENGRAM_HOME`
/// so engram never writes into the user's project folder.
public struct ProjectOptOut: Sendable {
    public let file: URL

    public init(paths: EngramPaths) {
        self.file = paths.home.appendingPathComponent("disabled-projects")
    }

    /// The disabled project roots, in the order they were added.
    public func list() -> [String] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).map { $0.blankTrimmed }.filter { !$0.isEmpty }
    }

    /// Cheap enough for a hook: one stat, and one small read only when the file exists.
    public func isDisabled(_ projectRoot: String) -> Bool {
        guard FileManager.default.fileExists(atPath: file.path) else { return false }
        return list().contains(Self.normalize(projectRoot))
    }

    /// Adds the project; returns false when it was already disabled.
    @discardableResult
    public func disable(_ projectRoot: String) throws -> Bool {
        let root = Self.normalize(projectRoot)
        var roots = list()
        guard !roots.contains(root) else { return false }
        roots.append(root)
        try write(roots)
        return true
    }

    /// Removes the project; returns false when it was not disabled.
    @discardableResult
    public func enable(_ projectRoot: String) throws -> Bool {
        let root = Self.normalize(projectRoot)
        let roots = list()
        guard roots.contains(root) else { return false }
        try write(roots.filter { $0 != root })
        return true
    }

    private func write(_ roots: [String]) throws {
        try EngramPaths(home: file.deletingLastPathComponent()).prepare()
        let text = roots.isEmpty ? "" : roots.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: file, options: .atomic)
        _ = chmod(file.path, 0o600)
    }

    static func normalize(_ path: String) -> String {
        let p = URL(fileURLWithPath: path).standardizedFileURL.path
        return p.count > 1 && p.hasSuffix("/") ? String(p.dropLast()) : p
    }
}
