import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 client over the worker's Unix socket, for hooks and the CLI. Every call has a
/// hard deadline (connect, write and read together), so a stuck worker can never hold a hook.
public struct WorkerClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        /// The body parsed as JSON, or nil.
        public var json: JSONValue? { try? JSONValue.parse(String(decoding: body, as: UTF8.self)) }
    }

    public enum ClientError: LocalizedError, Equatable {
        case notRunning(String)
        case timedOut(String)
        case io(String)
        case badResponse(String)

        public var errorDescription: String? {
            switch self {
            case .notRunning(let path): "the engram worker is not running (no answer on \(path)); start it with `engram worker start`"
            case .timedOut(let what): "the engram worker did not answer in time (\(what)); check `engram worker status`"
            case .io(let why): "talking to the engram worker failed: \(why)"
            case .badResponse(let why): "the engram worker sent an unreadable answer: \(why)"
            }
        }
    }

    public let socketPath: String
    /// Longest time one request may take, connect to last byte.
    public var timeout: Duration

    public init(socketPath: String, timeout: Duration = .seconds(5)) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    public init(paths: EngramPaths, timeout: Duration = .seconds(5)) {
        self.init(socketPath: paths.workerSocket.path, timeout: timeout)
    }

    public func get(_ path: String) throws -> Response { try send(method: "GET", path: path, body: nil) }

    public func post(_ path: String, json: JSONValue = [:]) throws -> Response {
        try send(method: "POST", path: path, body: Data(json.serialized().utf8))
    }

    /// Sends one request on a fresh connection (`Connection: close`) and reads the whole answer.
    public func send(method: String, path: String, body: Data?) throws -> Response {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout.seconds) * 1e9)
        let fd = try connect()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nUser-Agent: engram\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        var request = Data(head.utf8)
        if let body { request.append(body) }
        try writeAll(fd, request, deadline: deadline)
        let raw = try readAll(fd, deadline: deadline)
        return try Self.parse(raw)
    }

    private func connect() throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError.io("socket(): \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { close(fd); throw ClientError.io("socket path too long: \(socketPath)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in bytes.enumerated() { buf[i] = b }
            buf[bytes.count] = 0
        }
        // Non-blocking, so a full accept backlog cannot block us past the deadline.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let result = withUnsafePointer(to: &addr) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result != 0 {
            let e = errno
            close(fd)
            if e == ENOENT || e == ECONNREFUSED { throw ClientError.notRunning(socketPath) }
            if e == EAGAIN { throw ClientError.timedOut("connect") }
            throw ClientError.io("connect(): \(String(cString: strerror(e)))")
        }
        return fd
    }

    private func wait(_ fd: Int32, for events: Int16, deadline: UInt64, what: String) throws {
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { throw ClientError.timedOut(what) }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let ms = Int32(min(UInt64(Int32.max), (deadline - now) / 1_000_000 + 1))
            let r = poll(&p, 1, ms)
            if r > 0 { return }
            if r < 0 && errno != EINTR { throw ClientError.io("poll(): \(String(cString: strerror(errno)))") }
        }
    }

    private func writeAll(_ fd: Int32, _ data: Data, deadline: UInt64) throws {
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            try wait(fd, for: Int16(POLLOUT), deadline: deadline, what: "sending the request")
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw ClientError.io("send(): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    private func readAll(_ fd: Int32, deadline: UInt64) throws -> Data {
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let expected = Self.completeLength(out), out.count >= expected { return out }
            try wait(fd, for: Int16(POLLIN), deadline: deadline, what: "reading the answer")
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw ClientError.io("recv(): \(String(cString: strerror(errno)))")
            }
            out.append(contentsOf: buffer[0..<n])
            guard out.count <= 64 * 1024 * 1024 else { throw ClientError.badResponse("answer larger than 64 MB") }
        }
    }

    /// The full length of a response whose head declares Content-Length, once the head is in.
    static func completeLength(_ data: Data) -> Int? {
        guard let end = data.firstRange(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            if let n = Int(line.dropFirst("content-length:".count).blankTrimmed) {
                return end.upperBound - data.startIndex + n
            }
        }
        return nil
    }

    static func parse(_ raw: Data) throws -> Response {
        guard let end = raw.firstRange(of: Data("\r\n\r\n".utf8)) else { throw ClientError.badResponse("no HTTP head") }
        let head = String(decoding: raw[..<end.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw ClientError.badResponse("bad status line")
        }
        var body = Data(raw[end.upperBound...])
        let chunked = lines.dropFirst().contains { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }
        if chunked { body = try dechunk(body) }
        if let length = completeLength(raw) { body = Data(body.prefix(length - (end.upperBound - raw.startIndex))) }
        return Response(status: status, body: body)
    }

    static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var rest = data[...]
        while true {
            guard let lineEnd = rest.firstRange(of: Data("\r\n".utf8)) else { throw ClientError.badResponse("truncated chunk") }
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.blankTrimmed, radix: 16) else { throw ClientError.badResponse("bad chunk size") }
            if size == 0 { return out }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size + 2 else { throw ClientError.badResponse("truncated chunk") }
            let stop = rest.index(start, offsetBy: size)
            out.append(contentsOf: rest[start..<stop])
            rest = rest[rest.index(stop, offsetBy: 2)...]
        }
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
