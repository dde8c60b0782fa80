import Foundation

/// Keeps every path a tool is given inside the project root: no `..`, no absolute path
/// elsewhere, no symlink that leads out. Paths that do not exist yet are checked through
/// their nearest existing ancestor.
package struct PathConfinement: Sendable {
    /// The project root with symlinks resolved.
    package let root: String

    package init(root: String) {
        self.root = Self.realPath(URL(fileURLWithPath: root).standardizedFileURL.path)
    }

    package struct Resolved: Sendable, Equatable {
        /// Absolute path with symlinks resolved, inside `root`.
        package var absolute: String
        /// Relative to the root ("" for the root itself).
        package var relative: String
    }

    package func resolve(_ path: String) throws(ToolFailure) -> Resolved {
        let trimmed = path.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .badArgument("A path must not be empty.") }
        guard !trimmed.contains("\0") else { throw .badArgument("A path must not contain NUL bytes.") }
        let expanded = trimmed.hasPrefix("~") ? (trimmed as NSString).expandingTildeInPath : trimmed
        if expanded.split(separator: "/").contains("..") {
            throw .outsideProject(path, root)
        }
        let joined = expanded.hasPrefix("/") ? expanded : root + "/" + expanded
        let standardized = URL(fileURLWithPath: joined).standardizedFileURL.path
        let real = Self.realPath(standardized)
        guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw .outsideProject(path, root)
        }
        let relative = real == root ? "" : String(real.dropFirst(root == "/" ? 1 : root.count + 1))
        return Resolved(absolute: real, relative: relative)
    }

    /// `realpath` of the longest existing prefix, with the rest appended.
    static func realPath(_ path: String) -> String {
        var head = path
        var tail: [String] = []
        while true {
            if let r = realpath(head, nil) {
                defer { free(r) }
                let base = String(cString: r)
                guard !tail.isEmpty else { return base }
                return (base == "/" ? "" : base) + "/" + tail.reversed().joined(separator: "/")
            }
            let parent = (head as NSString).deletingLastPathComponent
            if parent == head || parent.isEmpty { return path }
            tail.append((head as NSString).lastPathComponent)
            head = parent
        }
    }
}
