import Foundation
import Testing

@testable import EngramCode

@Suite struct SourceWalkerTests {
    func makeTree() throws -> URL {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("walker-\(UUID().uuidString)")
        func write(_ rel: String, _ text: String = "x = 1\n") throws {
            let url = root.appendingPathComponent(rel)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write(".gitignore", "# comment\n*.gen.py\n/top_only.py\nlogs/\n!keep.gen.py\ndocs/**/draft_*.py\n")
        try write("app/main.py")
        try write("app/models.gen.py")
        try write("app/keep.gen.py")
        try write("top_only.py")
        try write("app/top_only.py")
        try write("logs/trace.py")
        try write("docs/a/b/draft_1.py")
        try write("docs/a/final.py")
        try write("app/sub/.gitignore", "secret*.py\n")
        try write("app/sub/secret_key.py")
        try write("app/sub/open.py")
        try write("Sources/App/Main.swift", "let x = 1\n")
        try write("notes.txt", "not source")
        try write(".venv/lib/site.py")
        try write("env2/pyvenv.cfg", "home = /usr\n")
        try write("env2/lib/mod.py")
        try write("build/lib/out.py")
        try write("node_modules/x/index.py")
        try write("pkg/__pycache__/m.py")
        try fm.createSymbolicLink(at: root.appendingPathComponent("app/sub/loop"), withDestinationURL: root.appendingPathComponent("app"))
        return root
    }

    @Test func walkRespectsIgnoresAndSkips() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = SourceWalker().files(under: root)
        #expect(
            files == [
                "Sources/App/Main.swift", "app/keep.gen.py", "app/main.py", "app/sub/open.py", "app/top_only.py", "docs/a/final.py",
            ])
    }

    @Test(arguments: [
        ("*.py", "a.py", true), ("*.py", "a.pyc", false), ("a?c", "abc", true), ("[a-c]x", "bx", true),
        ("[!a-c]x", "bx", false), ("*", "", true), ("a*b*c", "axxbyyc", true), ("a*b*c", "axxbyy", false),
    ])
    func globs(pattern: String, text: String, expected: Bool) {
        #expect(GitignoreRules.glob(pattern, text) == expected)
    }
}
