import EngramCore
import Foundation

/// What `worker.info` says about the running worker (the pid is also in `worker.pid`).
package struct WorkerInfo: Codable, Sendable, Equatable {
    package var pid: Int32
    package var socket: String
    package var startedAt: String
    package var version: String

    package init(pid: Int32, socket: String, startedAt: String, version: String) {
        self.pid = pid
        self.socket = socket
        self.startedAt = startedAt
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case pid, socket, version
        case startedAt = "started_at"
    }

    /// Writes worker.info and worker.pid (0600, atomically).
    package func write(paths: EngramPaths) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: paths.workerInfo, options: .atomic)
        try Data("\(pid)\n".utf8).write(to: paths.workerPID, options: .atomic)
        for url in [paths.workerInfo, paths.workerPID] { _ = chmod(url.path, 0o600) }
    }

    /// The recorded worker, if the files are there and readable.
    package static func read(paths: EngramPaths) -> WorkerInfo? {
        if let data = try? Data(contentsOf: paths.workerInfo), let info = try? JSONDecoder().decode(WorkerInfo.self, from: data) {
            return info
        }
        guard let text = try? String(contentsOf: paths.workerPID, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        return WorkerInfo(pid: pid, socket: paths.workerSocket.path, startedAt: "", version: "")
    }
}
