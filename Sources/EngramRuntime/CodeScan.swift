import EngramCode
import EngramCore
import Foundation

/// Live analysis of files and directories for `engram code`: walks paths (respecting
/// .gitignore, skipping virtualenvs and build folders), analyses each supported file and
/// resolves calls across the project the paths belong to.
package struct CodeScan: Sendable {
    package struct Result: Sendable {
        /// Analyses with paths relative to `projectRoot`.
        package var files: [CodeFileAnalysis]
        /// Files skipped with the reason (do not parse, unreadable).
        package var skipped: [(path: String, reason: String)]
        package var projectRoot: URL
    }

    /// Keep calls that leave the project (builtins, standard library, dependencies).
    package var includeExternal: Bool

    package init(includeExternal: Bool = false) { self.includeExternal = includeExternal }

    package func scan(_ paths: [String], cwd: String = FileManager.default.currentDirectoryPath) throws -> Result {
        let absolute = paths.map { p -> URL in
            let expanded = (p as NSString).expandingTildeInPath
            return URL(fileURLWithPath: expanded.hasPrefix("/") ? expanded : (cwd as NSString).appendingPathComponent(expanded)).standardizedFileURL
        }
        for url in absolute where !FileManager.default.fileExists(atPath: url.path) {
            throw EngramError.invalidArgument("No such file or directory: \(url.path)")
        }
        let root = URL(
            fileURLWithPath: ProjectLocator.root(for: absolute.first.map { isDirectory($0) ? $0.path : $0.deletingLastPathComponent().path } ?? cwd))
        var relPaths: [String] = []
        var seen = Set<String>()
        for url in absolute {
            let base = isDirectory(url) ? url : url.deletingLastPathComponent()
            let found = isDirectory(url) ? SourceWalker().files(under: url) : (CodeLanguage(path: url.path) != nil ? [url.lastPathComponent] : [])
            for f in found {
                let full = base.appendingPathComponent(f).standardizedFileURL.path
                let rel = full.hasPrefix(root.path + "/") ? String(full.dropFirst(root.path.count + 1)) : full
                if seen.insert(rel).inserted { relPaths.append(rel) }
            }
        }
        var files: [CodeFileAnalysis] = []
        var skipped: [(String, String)] = []
        let analyzer = CodeAnalyzer()
        for rel in relPaths {
            let url = rel.hasPrefix("/") ? URL(fileURLWithPath: rel) : root.appendingPathComponent(rel)
            guard let data = FileManager.default.contents(atPath: url.path) else { skipped.append((rel, "unreadable")); continue }
            do {
                if let a = try analyzer.analyze(source: data, path: rel) { files.append(a) }
            } catch {
                skipped.append((rel, error.localizedDescription))
            }
        }
        // All files at once: values flow between them (a callback passed from one file is called in another).
        var resolver = ProjectResolver(root: root, files: files, includeExternal: includeExternal)
        for (i, calls) in resolver.resolveCalls(ofProject: files).enumerated() { files[i].calls = calls }
        return Result(files: files, skipped: skipped, projectRoot: root)
    }

    func isDirectory(_ url: URL) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
    }

    /// Change marks of each file's latest stored snapshot, for styling graphs.
    package static func storedChanges(_ engram: Engram, project: String, files: [String]) throws -> [String: [String: ChangeType]] {
        var out: [String: [String: ChangeType]] = [:]
        for f in files {
            for s in try engram.stores.codeMap.latest(project: project, file: f)?.symbols ?? [] {
                out[f, default: [:]][s.qualifiedName] = ChangeType(rawValue: s.change ?? "")
            }
        }
        return out
    }
}
