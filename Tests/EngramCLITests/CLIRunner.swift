import Foundation

/// Runs the built `engram` binary as a real process, with its own temporary data dir.
struct CLIRunner {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    let root: URL
    var env: [String: String]

    var home: URL { root.appendingPathComponent("home") }
    var project: URL { root.appendingPathComponent("project") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("project/.git"), withIntermediateDirectories: true)
        var e = ProcessInfo.processInfo.environment
        e["ENGRAM_HOME"] = root.appendingPathComponent("home").path
        e.removeValue(forKey: "ENGRAM_DISABLED")
        // Hooks must not leave a background worker behind a test.
        e["ENGRAM_WORKER_AUTOSTART"] = "0"
        env = e
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// The engram binary sits beside the test bundle in the build folder.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("engram")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/engram")
    }

    func start(_ args: [String], stdin: Data? = nil) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        p.environment = env
        p.currentDirectoryURL = project
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        let writer = inp.fileHandleForWriting
        if let stdin { writer.write(stdin) }
        try writer.close()
        return (p, out, err)
    }

    @discardableResult
    func run(_ args: [String], stdin: Data? = nil) throws -> Result {
        let (p, out, err) = try start(args, stdin: stdin)
        // Read before waiting so a large output can't fill the pipe and deadlock.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func hookPayload(_ event: String, session: String, _ extra: [String: Any] = [:]) -> Data {
        var o: [String: Any] = ["session_id": session, "transcript_path": root.path + "/t.jsonl", "cwd": project.path,
                                "hook_event_name": event, "permission_mode": "default"]
        for (k, v) in extra { o[k] = v }
        return try! JSONSerialization.data(withJSONObject: o)
    }
}
