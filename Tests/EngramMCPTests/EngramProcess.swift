import Foundation

/// Runs the built `engram` binary (it sits beside the test bundle in the build folder).
enum EngramProcess {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("engram")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/engram")
    }

    /// The slim hooks-only binary built beside `engram`.
    static var hookBinary: URL { binary.deletingLastPathComponent().appendingPathComponent("engram-hook") }

    /// Runs `executable` (default: engram) to completion, reading both pipes before waiting.
    static func run(_ args: [String], env: [String: String], cwd: URL, executable: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = executable ?? binary
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        e.removeValue(forKey: "ENGRAM_DISABLED")
        for (k, v) in env { e[k] = v }
        p.environment = e
        p.currentDirectoryURL = cwd
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
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
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: errData.data, as: UTF8.self))
    }

    final class DataBox: @unchecked Sendable { var data = Data() }
}
