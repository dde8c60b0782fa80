import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starts the worker as a detached background process (its own session, stdio to
/// logs/worker.log, no inherited descriptors), for `engram worker start` and for hooks
/// that start it on demand without waiting.
public struct WorkerLauncher: Sendable {
    public enum LaunchError: LocalizedError {
        case spawnFailed(String)
        public var errorDescription: String? {
            if case .spawnFailed(let why) = self {
                return "could not start the engram worker: \(why); run `engram worker start --foreground` to see why"
            }
            return nil
        }
    }

    public let paths: EngramPaths
    /// The engram binary to run.
    public let executable: URL

    public init(paths: EngramPaths, executable: URL) {
        self.paths = paths
        self.executable = executable
    }

    /// This process's binary when it is engram itself (not a test runner embedding the library).
    /// From the slim `engram-hook` binary, the `engram` installed beside it.
    public static func currentEngramExecutable() -> URL? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let url = URL(fileURLWithPath: path)
        switch url.lastPathComponent {
        case "engram": return url
        case "engram-hook":
            let sibling = url.deletingLastPathComponent().appendingPathComponent("engram")
            return access(sibling.path, X_OK) == 0 ? sibling : nil
        default: return nil
        }
    }

    public var throttleFile: URL { paths.home.appendingPathComponent("worker.autostart") }

    /// Starts the worker unless one is running or a start was attempted in the last `throttle` seconds.
    /// A socket a killed worker left behind (nothing listens, nobody holds the worker lock) does not count as
    /// running: it is removed and a worker started. Returns the new process id, or nil when nothing was
    /// started. Never waits for the worker.
    @discardableResult
    public func startIfNeeded(env: [String: String], throttle: TimeInterval = 30, now: Date = Date()) -> pid_t? {
        let fm = FileManager.default
        if fm.fileExists(atPath: paths.workerSocket.path) {
            guard Self.isStale(paths) else { return nil }
            // The lock is free and nothing answers: a dead worker's leftovers.
            for url in [paths.workerSocket, paths.workerPID, paths.workerInfo] { unlink(url.path) }
        }
        if let attrs = try? fm.attributesOfItem(atPath: throttleFile.path), let m = attrs[.modificationDate] as? Date,
            now.timeIntervalSince(m) < throttle, now >= m
        {
            return nil
        }
        // Create or touch: the timestamp is the throttle, whoever wins the race spawns a worker that takes the lock.
        let fd = open(throttleFile.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        close(fd)
        return try? spawn(arguments: ["worker", "start", "--foreground"], env: env)
    }

    /// Whether the worker's socket is a leftover: connecting is refused and no process holds the worker lock
    /// (the kernel drops a `flock` when its holder dies, so a SIGKILLed worker leaves it free).
    public static func isStale(_ paths: EngramPaths) -> Bool {
        !canConnect(unixSocket: paths.workerSocket.path) && !isLockHeld(paths.workerLock.path)
    }

    static func isLockHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Whether something accepts connections on the Unix socket at `path`.
    public static func canConnect(unixSocket path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        let len = socklen_t(MemoryLayout<sockaddr_un>.size)
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, len) }
        }
        return rc == 0
    }

    /// Sets FD_CLOEXEC on every descriptor above stderr (this process never execs, so only the child is affected).
    static func markDescriptorsCloseOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Spawns engram with `arguments` in a new session, stdin from /dev/null, stdout and stderr appended to logs/worker.log.
    public func spawn(arguments: [String], env: [String: String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let log = paths.logs.appendingPathComponent("worker.log").path
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the caller's (a hook's pipes to the agent) may stay open in the worker.
        Self.markDescriptorsCloseOnExec()
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGHUP)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        // POSIX_SPAWN_SETSID (glibc): the worker leaves the caller's session and terminal.
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | 0x80))
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable.path, &actions, &attr, argv, envp)
        guard rc == 0 else { throw LaunchError.spawnFailed(String(cString: strerror(rc))) }
        return pid
    }
}
