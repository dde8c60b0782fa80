import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write memory (sessions, prompts, observations, learnings, code snapshots) as JSONL.",
        discussion: "The format is documented in docs/export-format.md. `engram import FILE` reads it back."
    )

    @Option(help: "Export only this project (default: every project).")
    var project: String?
    @Option(name: [.short, .long], help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        try await guarded {
            let engine = try openEngine()
            let root = project.map { dir -> String in
                let expanded = (dir as NSString).expandingTildeInPath
                return ProjectLocator.root(for: expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded)
            }
            var sink = try ExportSink(path: output.map { ($0 as NSString).expandingTildeInPath })
            var bar = ProgressBar(label: "Exporting")
            let counts: [String: Int]
            do {
                counts = try engine.export(project: root, progress: { bar.update($0, $1) }) { try sink.write($0) }
                bar.finish()
                try sink.close()
            } catch {
                sink.abandon()
                throw error
            }
            if let output {
                let total = counts.values.reduce(0, +)
                Terminal.printErr("Exported \(total) records to \(output).")
            }
        }
    }
}

/// Buffered output for the export: stdout, or a 0600 file written beside its final name and
/// renamed into place, so an interrupted export never leaves half a file under that name.
struct ExportSink {
    private let handle: FileHandle
    private let path: String?
    private let tempPath: String?
    private var buffer = Data()

    init(path: String?) throws {
        self.path = path
        guard let path else { handle = .standardOutput; tempPath = nil; return }
        Self.removeStalePartials(of: path)
        let temp = path + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: nil, attributes: [.posixPermissions: 0o600]),
            let h = FileHandle(forWritingAtPath: temp)
        else {
            throw EngramError.invalidArgument("Cannot write \(path) (\(String(cString: strerror(errno)))). Choose a writable path.")
        }
        handle = h
        tempPath = temp
    }

    /// `<file>.partial-PID` files an export killed before its rename left beside `path` (their process is gone).
    static func removeStalePartials(of path: String) {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".partial-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(dir + "/" + name)
        }
    }

    mutating func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch { throw failure(error) }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        try flush()
        guard let path, let tempPath else { return }
        do {
            try handle.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: tempPath, toPath: path)
        } catch { throw failure(error) }
    }

    /// Removes the partial file after a failure; the destination is left as it was.
    func abandon() {
        guard let tempPath else { return }
        try? handle.close()
        unlink(tempPath)
    }

    /// A write error as a person can act on it: the OS reason (disk full, permission), not Foundation's text.
    func failure(_ error: any Error) -> EngramError {
        let ns = error as NSError
        let posix = (ns.domain == NSPOSIXErrorDomain ? ns : ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap {
            $0.domain == NSPOSIXErrorDomain ? String(cString: strerror(Int32($0.code))) : nil
        }
        return .invalidArgument(
            "Cannot write the export to \(path ?? "stdout") (\(posix ?? "write failed")). Free some space or choose another path; nothing was replaced."
        )
    }
}
