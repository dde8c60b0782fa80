import EngramCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The single-instance lock: an exclusive `flock` on `worker.lock`, taken before the socket is
/// bound (binding would silently replace a live worker's socket). The kernel drops the lock when
/// the holder dies, so a killed worker never blocks the next one.
package final class WorkerLock: Sendable {
    let fd: Int32
    package let paths: EngramPaths

    private init(fd: Int32, paths: EngramPaths) {
        self.fd = fd
        self.paths = paths
    }

    deinit { close(fd) }

    /// Takes the lock, or returns nil when another process holds it.
    package static func acquire(paths: EngramPaths) throws -> WorkerLock? {
        let fd = open(paths.workerLock.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WorkerError.lockFailed(paths.workerLock.path, String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            close(fd)
            if e == EWOULDBLOCK { return nil }
            throw WorkerError.lockFailed(paths.workerLock.path, String(cString: strerror(e)))
        }
        return WorkerLock(fd: fd, paths: paths)
    }

    /// Whether some process holds the lock right now (a worker is alive).
    package static func isHeld(paths: EngramPaths) -> Bool {
        guard FileManager.default.fileExists(atPath: paths.workerLock.path) else { return false }
        let fd = open(paths.workerLock.path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Removes what a dead worker may have left (socket, pid and info files); only call while holding the lock.
    package func removeRuntimeFiles() {
        for url in [paths.workerSocket, paths.workerPID, paths.workerInfo] {
            try? FileManager.default.removeItem(at: url)
        }
    }
}
