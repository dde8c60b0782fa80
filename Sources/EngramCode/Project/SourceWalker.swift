import Foundation

/// Walks a directory for source files, honouring `.gitignore` files (nested ones too), skipping
/// virtualenvs, build/cache folders and symlink loops.
package struct SourceWalker: Sendable {
    package static let skippedDirectories: Set<String> = [
        ".git", ".hg", ".svn", ".venv", "venv", ".build", "build", "dist", "__pycache__", "node_modules",
        ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", ".swiftpm",
    ]

    /// File extensions to return (without dot).
    package var extensions: Set<String>

    package init(extensions: Set<String> = ["py", "swift"]) {
        self.extensions = extensions
    }

    /// Root-relative paths ("a/b.py"), sorted. A file given as `root` is returned as its own name.
    package func files(under root: URL) -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir) else { return [] }
        if !isDir.boolValue { return extensions.contains(root.pathExtension) ? [root.lastPathComponent] : [] }
        var out: [String] = []
        var visited: Set<String> = []
        walk(root.standardizedFileURL, relative: "", rules: [], visited: &visited, out: &out)
        return out.sorted()
    }

    private func walk(_ dir: URL, relative: String, rules: [GitignoreRules], visited: inout Set<String>, out: inout [String]) {
        let fm = FileManager.default
        let real = dir.resolvingSymlinksInPath().path
        guard visited.insert(real).inserted else { return } // symlink loop or repeat
        var rules = rules
        if let text = try? String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8) {
            rules.append(GitignoreRules(text: text, base: relative))
        }
        guard let names = try? fm.contentsOfDirectory(atPath: dir.path) else { return }
        for name in names.sorted() {
            let url = dir.appendingPathComponent(name)
            let rel = relative.isEmpty ? name : relative + "/" + name
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else { continue } // broken link
            let directory = isDir.boolValue
            if GitignoreRules.isIgnored(rel, isDirectory: directory, by: rules) { continue }
            if directory {
                if SourceWalker.skippedDirectories.contains(name) { continue }
                if fm.fileExists(atPath: url.appendingPathComponent("pyvenv.cfg").path) { continue }
                walk(url, relative: rel, rules: rules, visited: &visited, out: &out)
            } else if extensions.contains(url.pathExtension) {
                out.append(rel)
            }
        }
    }
}
