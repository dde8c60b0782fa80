import Foundation

/// Locates committed fixtures and runs the CPython reference script.
enum FixtureSupport {
    static var testsDir: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" && url.path != "/" { url.deleteLastPathComponent() }
        return url
    }

    static var repoRoot: URL { testsDir.deletingLastPathComponent() }

    static func fixture(_ relative: String) -> URL {
        testsDir.appendingPathComponent("Fixtures").appendingPathComponent(relative)
    }

    static func pythonFixtures() throws -> [URL] {
        let dir = testsDir.appendingPathComponent("Fixtures/python")
        let items = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
        var out: [URL] = []
        while let u = items?.nextObject() as? URL { if u.pathExtension == "py" { out.append(u) } }
        return out.sorted { $0.path < $1.path }
    }

    /// Runs `python3 Scripts/python/ast_dump.py files…` and returns its JSON array.
    static func cpythonDump(_ files: [URL]) throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repoRoot.appendingPathComponent("Scripts/python/ast_dump.py").path] + files.map(\.path)
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: data)
        return json as? [[String: Any]] ?? []
    }
}
