import Foundation
package import Logging
package import MCP

/// Newline-delimited JSON-RPC over a pair of file descriptors, read by a dedicated thread
/// that blocks in `read(2)`. The SDK's `StdioTransport` polls a non-blocking descriptor
/// and sleeps 10 ms when it is empty, which puts up to 10 ms on every request; a blocking
/// read hands each message over as soon as its newline arrives.
package actor BlockingStdioTransport: Transport {
    package nonisolated let logger: Logger
    private let input: Int32
    private let output: Int32
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var reader: Thread?
    private let ledger: RequestLedger
    /// Serialises writes: the reader thread answers what never reaches the server (oversize, malformed params).
    private let writeLock = NSLock()

    /// Messages larger than this are dropped with a log line rather than buffered without end.
    package static let maxMessageBytes = 16 << 20

    package init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, logger: Logger) {
        self.input = input
        self.output = output
        self.logger = logger
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream(of: Data.self, throwing: (any Error).self)
        self.stream = stream
        self.continuation = continuation
        self.ledger = RequestLedger { continuation.finish() }
    }

    package func connect() async throws {
        guard reader == nil else { return }
        let fd = input, sink = continuation, log = logger, ledger = ledger, out = output, lock = writeLock
        let thread = Thread {
            Self.readLoop(fd: fd, sink: sink, ledger: ledger, logger: log) { reply in
                lock.withLock { _ = try? Self.writeAll(out, reply) }
            }
        }
        thread.name = "engram-mcp-stdin"
        thread.stackSize = 1 << 20
        reader = thread
        thread.start()
    }

    package func disconnect() async {
        continuation.finish()
    }

    package func send(_ data: Data) async throws {
        try writeLock.withLock { try Self.writeAll(output, data) }
        ledger.answered(RequestLedger.responses(in: data))
    }

    /// Writes one message and its newline, whole.
    static func writeAll(_ output: Int32, _ data: Data) throws {
        var message = data
        message.append(UInt8(ascii: "\n"))
        try message.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            guard var p = buf.baseAddress else { return }
            var left = buf.count
            while left > 0 {
                let n = write(output, p, left)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw MCPError.transportError(TransportFailure.write(errno: errno))
                }
                p += n
                left -= n
            }
        }
    }

    package func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    /// Runs on the reader thread until end of input: splits on newlines and yields each
    /// non-blank line. Carriage returns before the newline are tolerated. At end of input
    /// the stream ends only once every request read has been answered, so a client that
    /// writes its requests and closes stdin still gets every response.
    private static func readLoop(
        fd: Int32, sink: AsyncThrowingStream<Data, any Error>.Continuation, ledger: RequestLedger,
        logger: Logger, reply: (Data) -> Void
    ) {
        var pending = Data()
        var skipping = false
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer, size)
            if n < 0 {
                if errno == EINTR { continue }
                logger.error("stdin read failed: errno \(errno)")
                break
            }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(start: buffer, count: n)
            var start = 0
            for i in 0..<n where chunk[i] == UInt8(ascii: "\n") {
                if !skipping { pending.append(contentsOf: chunk[start..<i]) }
                if !skipping, pending.count > maxMessageBytes {
                    // Completed in the chunk that took it over the limit: refused all the same.
                    refuse(pending, logger: logger, reply: reply)
                } else if !skipping {
                    emit(&pending, to: sink, ledger: ledger, reply: reply)
                }
                pending.removeAll(keepingCapacity: true)
                skipping = false
                start = i + 1
            }
            if start < n, !skipping {
                pending.append(contentsOf: chunk[start..<n])
                if pending.count > maxMessageBytes {
                    refuse(pending, logger: logger, reply: reply)
                    pending.removeAll()
                    skipping = true
                }
            }
        }
        if !skipping { emit(&pending, to: sink, ledger: ledger, reply: reply) }
        ledger.inputEnded(grace: .seconds(5))
    }

    private static func emit(
        _ line: inout Data, to sink: AsyncThrowingStream<Data, any Error>.Continuation, ledger: RequestLedger,
        reply: (Data) -> Void
    ) {
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") { line.removeLast() }
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        let message = Data(line)
        // JSON-RPC allows positional (array) params, MCP does not: answered here as invalid params in plain words,
        // rather than by the SDK's decoder as an internal error with Foundation's text.
        if let obj = (try? JSONSerialization.jsonObject(with: message)) as? [String: Any], let method = obj["method"] as? String,
            let params = obj["params"], !(params is [String: Any]), !(params is NSNull)
        {
            if let id = obj["id"], !(id is NSNull) {
                reply(
                    errorReply(
                        id: id, code: -32602,
                        message: "\(method): params must be an object of named arguments, not \(params is [Any] ? "an array" : "a single value")."))
            }
            return
        }
        ledger.received(RequestLedger.requests(in: message))
        sink.yield(message)
    }

    /// The client waits for an answer to an oversize request too: say why, to its id when its start names one.
    private static func refuse(_ pending: Data, logger: Logger, reply: (Data) -> Void) {
        logger.error("refusing a message over \(maxMessageBytes) bytes")
        reply(
            errorReply(
                id: leadingID(pending), code: -32600,
                message: "Request too large: messages are limited to \(maxMessageBytes >> 20) MB. Send less text per call."))
    }

    /// A JSON-RPC error response.
    static func errorReply(id: Any?, code: Int, message: String) -> Data {
        let body: [String: Any] = ["jsonrpc": "2.0", "id": id ?? NSNull(), "error": ["code": code, "message": message]]
        return (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
    }

    /// The `id` of a request whose start is at hand (a number or a short string near the beginning), or nil.
    static func leadingID(_ data: Data) -> Any? {
        let head = String(decoding: data.prefix(4096), as: UTF8.self)
        guard let r = head.range(of: #""id"\s*:\s*("(?:[^"\\]{0,200})"|-?[0-9]{1,18})"#, options: .regularExpression) else { return nil }
        let raw = head[r].split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        if raw.hasPrefix("\"") { return String(raw.dropFirst().dropLast()) }
        return Int(raw)
    }
}

/// Counts requests read against responses written, so the input stream can end after the
/// last answer rather than at end of input. Shared by the reader thread and the actor.
final class RequestLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var outstanding = 0
    private var ended = false
    private var finished = false
    private let finish: @Sendable () -> Void

    init(finish: @escaping @Sendable () -> Void) { self.finish = finish }

    func received(_ n: Int) { lock.withLock { outstanding += n } }

    func answered(_ n: Int) {
        guard n > 0 else { return }
        let done = lock.withLock { () -> Bool in
            outstanding = max(0, outstanding - n)
            return ended && outstanding <= 0 && !finished
        }
        if done { finishOnce() }
    }

    /// End of input: finish now if nothing is outstanding, else when answered or after `grace`.
    func inputEnded(grace: Duration) {
        let now = lock.withLock { () -> Bool in
            ended = true
            return outstanding <= 0
        }
        if now { finishOnce(); return }
        let seconds = Double(grace.components.seconds)
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in finishOnce() }
    }

    private func finishOnce() {
        let first = lock.withLock { () -> Bool in
            defer { finished = true }
            return !finished
        }
        if first { finish() }
    }

    /// Requests in a message (a JSON-RPC object or batch): members with both `method` and
    /// `id`. A line that is not JSON counts as one: the server answers it with a parse error.
    static func requests(in data: Data) -> Int {
        guard let any = try? JSONSerialization.jsonObject(with: data) else { return 1 }
        return members(any).filter { $0["method"] != nil && $0["id"] != nil }.count
    }

    /// Responses in a message: members with `id` and `result` or `error`.
    static func responses(in data: Data) -> Int {
        guard let any = try? JSONSerialization.jsonObject(with: data) else { return 0 }
        return members(any).filter { $0["id"] != nil && ($0["result"] != nil || $0["error"] != nil) }.count
    }

    private static func members(_ any: Any) -> [[String: Any]] {
        if let o = any as? [String: Any] { return [o] }
        return (any as? [Any])?.compactMap { $0 as? [String: Any] } ?? []
    }
}

/// Why writing to the client failed.
enum TransportFailure: LocalizedError {
    case write(errno: Int32)
    var errorDescription: String? {
        switch self {
        case .write(let e): return "Writing to the MCP client failed (errno \(e)); the client probably exited."
        }
    }
}
