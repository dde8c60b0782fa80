import Foundation

/// A local test server written in Python (stdlib only, under Scripts/), started for the life of the value: it prints
/// its ephemeral port on its first line ("PORT 1234" or "1234") and exits when its stdin closes, so it cannot outlive
/// the test process. Every fake upstream (LLM APIs, the embeddings API, the model hub) runs through this one launcher.
/// Unchecked Sendable: constants only; the process is touched again only in `stop()`.
package final class ScriptServer: @unchecked Sendable {
    package let port: Int
    private let process: Process
    private let stdin: Pipe

    /// The repository root, found from this file's location.
    package static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" && url.path != "/" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent()
    }()

    package static var fixtures: URL { repositoryRoot.appendingPathComponent("Tests/Fixtures") }

    package struct StartError: LocalizedError {
        package var script: String
        package var firstLine: String
        package var errorDescription: String? { "\(script) printed no port (got \"\(firstLine)\"); is python3 installed?" }
    }

    /// Starts `python3 Scripts/<script> arguments…` with this process's environment plus `environment`.
    package init(script: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.repositoryRoot.appendingPathComponent("Scripts").appendingPathComponent(script).path] + arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        p.environment = env
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardInput = inp
        p.standardError = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard let port = Int(text.hasPrefix("PORT ") ? String(text.dropFirst(5)) : text) else {
            p.terminate()
            throw StartError(script: script, firstLine: text)
        }
        self.port = port
        self.process = p
        self.stdin = inp
    }

    deinit { stop() }

    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Closing stdin alone ends the server; SIGTERM covers a copy of the pipe held by another child.
    package func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
