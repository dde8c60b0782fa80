import Foundation

/// Runs the built `engram` binary as a real process, for the test targets that drive it.
package enum EngramProcess {
    /// The engram binary sits beside the test bundle in the build folder.
    package static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("engram")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/engram")
    }

    /// The slim hooks-only binary built beside `engram`.
    package static var hookBinary: URL { binary.deletingLastPathComponent().appendingPathComponent("engram-hook") }

    /// Starts engram (or `executable`) with piped stdout and stderr; `stdin` is written and closed at once.
    package static func start(
        _ args: [String], env: [String: String], cwd: URL, stdin: Data? = nil,
        executable: URL = binary
    ) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.environment = env
        p.currentDirectoryURL = cwd
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try inp.fileHandleForWriting.close()
        return (p, out, err)
    }

    package struct Result: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// Runs `executable` (default: engram) to completion with this process's environment plus `env` (engram's
    /// kill switch removed), no stdin, reading both pipes before waiting so a full pipe cannot stall it.
    package static func run(_ args: [String], env: [String: String], cwd: URL, executable: URL? = nil) throws -> Result {
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "ENGRAM_DISABLED")
        for (k, v) in env { merged[k] = v }
        let (p, out, err) = try start(args, env: merged, cwd: cwd, executable: executable ?? binary)
        let errData = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// A slot a background reader fills before the waiting thread reads it (ordered by a DispatchGroup).
    package final class DataBox: @unchecked Sendable {
        package var data = Data()
        package init() {}
    }
}
