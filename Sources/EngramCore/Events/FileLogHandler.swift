import Foundation
import Logging

/// A swift-log handler writing one line per message to `logs/engram.log`, and to stderr
/// when asked (hooks say why they skipped something there; stdout is reserved for JSON).
public struct FileLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let file: URL?
    let alsoStderr: Bool

    public init(label: String, file: URL?, level: Logger.Level, alsoStderr: Bool) {
        self.label = label
        self.file = file
        self.logLevel = level
        self.alsoStderr = alsoStderr
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var meta = metadata
        if let extra = event.metadata { meta.merge(extra) { _, new in new } }
        let metaText = meta.isEmpty ? "" : " " + meta.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if let file {
            LogFile.append("\(Timestamp.format(Date())) \(event.level) [\(label)] \(event.message)\(metaText)\n", to: file)
        }
        if alsoStderr, event.level >= .warning {
            FileHandle.standardError.write(Data("engram: \(event.message)\(metaText)\n".utf8))
        }
    }

    /// A logger for one process: to the log file, and warnings to stderr if `stderr` is true.
    public static func logger(paths: EngramPaths?, level: String = "info", stderr: Bool) -> Logger {
        let lvl = Logger.Level(rawValue: level) ?? .info
        let file = paths?.logs.appendingPathComponent("engram.log", isDirectory: false)
        return Logger(label: "engram") { label in FileLogHandler(label: label, file: file, level: lvl, alsoStderr: stderr) }
    }
}
