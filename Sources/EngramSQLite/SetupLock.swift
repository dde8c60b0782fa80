import EngramModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `<database>.setup-lock`, held while a process switches the file to WAL or migrates it,
/// so any number of processes may open a fresh data dir at once. The kernel drops the lock when its holder dies.
package enum SetupLock {
    /// How long a process waits for another one's migration before giving up (it keeps its item, see `SpillBox`).
    static let timeout: TimeInterval = 10

    package static func holding<T>(databasePath: String, _ body: () throws -> T) throws -> T {
        guard databasePath != ":memory:", !databasePath.isEmpty else { return try body() }
        let lockPath = databasePath + ".setup-lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EngramError.databaseUnreadable(databasePath, "cannot create its set-up lock (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 1_000
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw EngramError.databaseUnreadable(databasePath, "cannot lock it for set-up (\(String(cString: strerror(errno))))")
            }
            guard Date() < deadline else {
                throw EngramError.databaseUnreadable(databasePath, "another engram process has been setting it up for \(Int(timeout))s")
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
