import EngramCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `engram worker start | stop | status` for a data directory: starting in the background,
/// stopping by SIGTERM with a bounded wait, and reading the state from the lock, the pid file
/// and the socket.
package struct WorkerControl: Sendable {
    package struct Status: Codable, Sendable, Equatable {
        package var running: Bool
        package var pid: Int32?
        package var socket: String
        package var startedAt: String?
        package var version: String?
        /// /health as the worker answered it (nil when it did not).
        package var health: JSONValue?
        /// Files a dead worker left behind (removed by the next start).
        package var stale: Bool
    }

    package let paths: EngramPaths
    package let env: [String: String]

    package init(env: [String: String] = ProcessInfo.processInfo.environment) {
        self.env = env
        self.paths = EngramPaths.fromEnvironment(env)
    }

    package func status(timeout: Duration = .seconds(2)) -> Status {
        let running = WorkerLock.isHeld(paths: paths)
        let info = WorkerInfo.read(paths: paths)
        var health: JSONValue?
        if running, let r = try? WorkerClient(paths: paths, timeout: timeout).get(WorkerRoute.health.path), r.status == 200 { health = r.json }
        let leftovers = [paths.workerSocket, paths.workerPID, paths.workerInfo].contains { FileManager.default.fileExists(atPath: $0.path) }
        return Status(
            running: running, pid: running ? (health?["pid"]?.intValue.map { Int32($0) } ?? info?.pid) : nil,
            socket: paths.workerSocket.path, startedAt: running ? info?.startedAt : nil,
            version: running ? info?.version : nil, health: health, stale: !running && leftovers)
    }

    package enum StartResult: Sendable, Equatable {
        case started(pid: Int32)
        case alreadyRunning(pid: Int32?)
    }

    /// Spawns `executable worker start --foreground` detached and waits (bounded) until /health answers.
    package func startInBackground(executable: URL, wait: Duration = .seconds(15)) throws -> StartResult {
        try paths.prepare()
        if WorkerLock.isHeld(paths: paths), let pid = waitForHealth(deadline: .seconds(2)) {
            return .alreadyRunning(pid: pid)
        }
        let child = try WorkerLauncher(paths: paths, executable: executable).spawn(arguments: ["worker", "start", "--foreground"], env: env)
        let clock = ContinuousClock()
        let deadline = clock.now + wait
        while clock.now < deadline {
            if let pid = healthPID(timeout: .milliseconds(500)) {
                reap(child)
                return pid == child ? .started(pid: pid) : .alreadyRunning(pid: pid)
            }
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child {
                // Our child exited: another worker won the lock (it says so and exits 0) or it failed.
                if let pid = waitForHealth(deadline: .seconds(5)) { return .alreadyRunning(pid: pid) }
                throw WorkerError.didNotStart(paths.logs.appendingPathComponent("worker.log").path)
            }
            usleep(20_000)
        }
        throw WorkerError.didNotStart(paths.logs.appendingPathComponent("worker.log").path)
    }

    /// Sends SIGTERM and waits until the lock is released; SIGKILL after `grace`. Returns the pid stopped, nil if none ran.
    package func stop(grace: Duration = .seconds(15)) throws -> Int32? {
        guard WorkerLock.isHeld(paths: paths) else {
            if let lock = try WorkerLock.acquire(paths: paths) { lock.removeRuntimeFiles() }
            return nil
        }
        guard let pid = status().pid ?? WorkerInfo.read(paths: paths)?.pid, pid > 1 else { return nil }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while clock.now < deadline {
            if !WorkerLock.isHeld(paths: paths) {
                // The lock goes a moment before the process ends; "stopped" should mean gone.
                while clock.now < deadline, Self.isRunning(pid) { usleep(5_000) }
                return pid
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        throw WorkerError.didNotStop(pid)
    }

    /// Whether `pid` is a live process (a zombie waiting for its parent has finished running).
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") {
                return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).first != "Z"
            }
        #endif
        return true
    }

    func healthPID(timeout: Duration) -> Int32? {
        guard let r = try? WorkerClient(paths: paths, timeout: timeout).get(WorkerRoute.health.path), r.status == 200,
            let pid = r.json?["pid"]?.intValue
        else { return nil }
        return Int32(pid)
    }

    func waitForHealth(deadline: Duration) -> Int32? {
        let clock = ContinuousClock()
        let end = clock.now + deadline
        repeat {
            if let pid = healthPID(timeout: .milliseconds(500)) { return pid }
            usleep(20_000)
        } while clock.now < end
        return nil
    }

    /// Collects the child's exit status later without blocking, so it never lingers as a zombie of a long-lived caller.
    func reap(_ pid: pid_t) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }
}
