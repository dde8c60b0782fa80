import Foundation

/// Where engram keeps its data. One directory (`ENGRAM_HOME`, default `~/.engram`) holds
/// the database, the config file, logs, models and the worker's socket.
public struct EngramPaths: Sendable, Hashable {
    public let home: URL

    public init(home: URL) {
        self.home = home.standardizedFileURL
    }

    /// Resolves the data directory from the environment: `ENGRAM_HOME`, else `~/.engram`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> EngramPaths {
        if let h = env["ENGRAM_HOME"], !h.isEmpty {
            return EngramPaths(home: URL(fileURLWithPath: (h as NSString).expandingTildeInPath, isDirectory: true))
        }
        let base = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return EngramPaths(home: URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent(".engram", isDirectory: true))
    }

    public var database: URL { home.appendingPathComponent("engram.sqlite", isDirectory: false) }
    public var configTOML: URL { home.appendingPathComponent("config.toml", isDirectory: false) }
    public var configJSON: URL { home.appendingPathComponent("config.json", isDirectory: false) }
    public var logs: URL { home.appendingPathComponent("logs", isDirectory: true) }
    public var models: URL { home.appendingPathComponent("models", isDirectory: true) }
    public var workerSocket: URL { home.appendingPathComponent("worker.sock", isDirectory: false) }
    public var workerPID: URL { home.appendingPathComponent("worker.pid", isDirectory: false) }
    public var workerInfo: URL { home.appendingPathComponent("worker.info", isDirectory: false) }
    public var workerLock: URL { home.appendingPathComponent("worker.lock", isDirectory: false) }
    /// The LLM policy the hooks last decided (`LLMPolicy.Seen`), for doctor and config show.
    public var llmPolicy: URL { home.appendingPathComponent("llm-policy.json", isDirectory: false) }

    /// Creates the data directory (0700) and its logs folder if needed, and tightens
    /// permissions on anything already there. Also sets the process umask so every file
    /// SQLite creates (-wal, -shm) is 0600.
    public func prepare() throws {
        umask(0o077)
        let fm = FileManager.default
        for dir in [home, logs] {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir.path, isDirectory: &isDir) {
                guard isDir.boolValue else { throw EngramError.dataDirUnusable(dir.path, "it is a file, not a directory") }
            } else {
                do {
                    try fm.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                } catch {
                    throw EngramError.dataDirUnusable(dir.path, "cannot create it (\(error.localizedDescription))")
                }
            }
            _ = chmod(dir.path, 0o700)
        }
        guard access(home.path, W_OK) == 0 else {
            throw EngramError.dataDirUnusable(home.path, "it is not writable")
        }
    }
}
