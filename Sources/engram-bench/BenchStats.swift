import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Latency samples in milliseconds and their percentiles.
struct BenchStats: Codable {
    var samples: Int
    var p50: Double
    var p95: Double
    var mean: Double

    init(_ ms: [Double]) {
        let s = ms.sorted()
        samples = s.count
        func pct(_ p: Double) -> Double { s.isEmpty ? 0 : s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))] }
        p50 = (pct(0.5) * 1000).rounded() / 1000
        p95 = (pct(0.95) * 1000).rounded() / 1000
        mean = s.isEmpty ? 0 : ((s.reduce(0, +) / Double(s.count)) * 1000).rounded() / 1000
    }
}

enum Stopwatch {
    static func ms(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000
    }

    /// Runs a process to completion with `stdin`, returning its wall time in ms (launch included). On Linux it is
    /// `posix_spawn` and `waitpid` directly: Foundation's `Process` adds milliseconds of its own per launch (it
    /// closes every descriptor and waits on a run loop), which would count against whichever side is measured.
    static func process(_ exe: String, _ args: [String], stdin: Data, env: [String: String]) throws -> (ms: Double, status: Int32) {
        #if os(Linux)
            struct SpawnFailed: LocalizedError {
                var exe: String, code: Int32
                var errorDescription: String? { "cannot run \(exe): \(String(cString: strerror(code)))" }
            }
            signal(SIGPIPE, SIG_IGN) // a child that exits without reading its stdin must not kill the bench
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw SpawnFailed(exe: exe, code: errno) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv: [UnsafeMutablePointer<CChar>?] = ([exe] + args).map { strdup($0) } + [nil]
            let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for p in argv + envp { free(p) } }
            var pid: pid_t = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            let rc = posix_spawn(&pid, exe, &actions, nil, argv, envp)
            close(fds[0])
            guard rc == 0 else { close(fds[1]); throw SpawnFailed(exe: exe, code: rc) }
            stdin.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count, let base = raw.baseAddress {
                    let n = write(fds[1], base + offset, raw.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(fds[1])
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000
            return (ms, (status >> 8) & 0xff)
        #else
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = args
            p.environment = env
            let inp = Pipe()
            p.standardInput = inp
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let t0 = DispatchTime.now().uptimeNanoseconds
            try p.run()
            inp.fileHandleForWriting.write(stdin)
            try inp.fileHandleForWriting.close()
            p.waitUntilExit()
            return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000, p.terminationStatus)
        #endif
    }

    /// This executable (engram-bench), which runs the engram side of `hybrid` in a child of its own.
    static var selfPath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The `engram` binary built beside this one: the product whose hooks and commands are measured.
    static func engramPath() throws -> String {
        let path = URL(fileURLWithPath: selfPath).deletingLastPathComponent().appendingPathComponent("engram").path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw BenchError.missingEngram(path) }
        return path
    }
}
