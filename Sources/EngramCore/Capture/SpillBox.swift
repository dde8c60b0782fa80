import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a hook keeps its item when the store cannot take it right now (another process holds the set-up
/// lock too long, the disk is full, the database is unreadable): one file per hook under `spill/`, ingested
/// by the next process that opens the store. When even the spill file cannot be written, the hook counts
/// the loss in `spill/lost`, reported once space returns. Nothing a hook receives is dropped silently.
public struct SpillBox: Sendable {
    public let directory: URL
    var lostFile: URL { directory.appendingPathComponent("lost") }

    public init(paths: EngramPaths) { directory = paths.home.appendingPathComponent("spill", isDirectory: true) }

    /// One spilled hook: the event, when it arrived, and its stdin as received.
    public struct Item: Sendable {
        public var event: String
        public var at: Date
        public var stdin: Data
    }

    /// Spilled hooks bigger than this are counted as lost instead (capture would cut them to 256 KB anyway).
    static let maxBytes = 8 << 20

    /// Keeps the hook's input; returns false (after counting it lost) when even that cannot be written.
    @discardableResult
    public func spill(event: String, stdin: Data, at date: Date) -> Bool {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let name = "\(ms)-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).hook"
        let header = JSONValue.object(["event": .string(event), "at": .string(Timestamp.format(milliseconds: ms))]).serialized()
        let tmp = directory.appendingPathComponent("." + name + ".tmp")
        var ok = stdin.count <= Self.maxBytes
        if ok {
            umask(0o077)
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            ok =
                Self.writeFile(Data(header.utf8) + Data([10]) + stdin, to: tmp.path)
                && rename(tmp.path, directory.appendingPathComponent(name).path) == 0
            if !ok { unlink(tmp.path) }
        }
        if !ok { countLost() }
        return ok
    }

    /// Files waiting to be ingested, and captures that could not even be spilled.
    public func pending() -> (spilled: Int, lost: Int) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return (names.filter { $0.hasSuffix(".hook") }.count, lostCount())
    }

    func lostCount() -> Int {
        var info = stat()
        return stat(lostFile.path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// One byte per lost capture: appending a byte is the write most likely to succeed on a nearly full disk.
    func countLost() {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(lostFile.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        var byte: UInt8 = 10
        _ = write(fd, &byte, 1)
        close(fd)
    }

    /// Claims every spilled hook (by renaming it, so two processes never ingest one twice) and hands each to
    /// `body`, oldest first; a claimed file is removed once `body` returns, put back when it throws. Claims left
    /// by a process that died mid-ingest are taken back after a minute. Returns the count of lost captures
    /// to report, clearing it.
    public func ingest(_ body: (Item) throws -> Void) rethrows -> (ingested: Int, lost: Int) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return (0, 0) }
        var ingested = 0
        for name in names.sorted() {
            let url = directory.appendingPathComponent(name)
            var source = url.path
            if name.hasSuffix(".claimed") {
                guard let m = (try? fm.attributesOfItem(atPath: source))?[.modificationDate] as? Date, Date().timeIntervalSince(m) > 60 else {
                    continue
                }
            } else if !name.hasSuffix(".hook") {
                continue
            }
            let claimed = directory.appendingPathComponent(name.hasSuffix(".claimed") ? name : name + ".claimed").path
            if source != claimed {
                guard rename(source, claimed) == 0 else { continue }
                source = claimed
            } else {
                // Touch: this process owns the stale claim now.
                utime(claimed, nil)
            }
            guard let data = fm.contents(atPath: claimed), let item = Self.parse(data) else {
                unlink(claimed)
                continue
            }
            do { try body(item) } catch {
                _ = rename(claimed, claimed.replacingOccurrences(of: ".claimed", with: ""))
                throw error
            }
            unlink(claimed)
            ingested += 1
        }
        let lost = lostCount()
        if lost > 0 { unlink(lostFile.path) }
        return (ingested, lost)
    }

    static func parse(_ data: Data) -> Item? {
        guard let nl = data.firstIndex(of: 10),
            let header = try? JSONValue.parse(data[data.startIndex..<nl]),
            let event = header["event"]?.stringValue, let at = header["at"]?.stringValue.flatMap(Timestamp.parse)
        else { return nil }
        return Item(event: event, at: at, stdin: Data(data[(nl + 1)...]))
    }

    static func writeFile(_ data: Data, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return data.withUnsafeBytes { raw -> Bool in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { if n < 0, errno == EINTR { continue }; return false }
                off += n
            }
            return fsync(fd) == 0
        }
    }
}
