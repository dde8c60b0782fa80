import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Who holds a claim on queue items: `host:pid:start`, where start is the process's start time (from
/// /proc on Linux), so a pid reused by an unrelated process is not mistaken for the owner. A claim whose
/// owner is provably dead (same host, and no such process) is taken back at once instead of after its lease.
public enum ProcessOwner {
    /// This process's owner string.
    public static let current: String = identity(pid: getpid()) ?? "\(hostName):\(getpid()):0"

    static let hostName: String = ProcessInfo.processInfo.hostName

    static func identity(pid: pid_t) -> String? {
        #if os(Linux)
            guard let start = startTime(pid: pid) else { return nil }
            return "\(hostName):\(pid):\(start)"
        #else
            return kill(pid, 0) == 0 || errno == EPERM ? "\(hostName):\(pid):0" : nil
        #endif
    }

    /// Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces).
    static func startTime(pid: pid_t) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
            let close = data.lastIndex(of: UInt8(ascii: ")"))
        else { return nil }
        let fields = data[(close + 1)...].split(separator: UInt8(ascii: " "))
        // fields[0] is the state (field 3); the start time is field 22.
        guard fields.count > 19 else { return nil }
        return UInt64(String(decoding: fields[19], as: UTF8.self))
    }

    /// Whether `owner` is a process of this host that no longer exists (or whose pid now belongs to another).
    /// Unknown formats and other hosts count as alive: their claims wait out their lease.
    public static func isProvablyDead(_ owner: String) -> Bool {
        let parts = owner.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let pid = pid_t(parts[parts.count - 2]), pid > 0 else { return false }
        let host = parts.dropLast(2).joined(separator: ":")
        guard host == hostName else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        #if os(Linux)
            if let start = UInt64(parts[parts.count - 1]), start != 0, let now = startTime(pid: pid), now != start { return true }
        #endif
        return false
    }
}
