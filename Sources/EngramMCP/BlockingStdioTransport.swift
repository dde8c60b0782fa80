import Foundation
import Logging
import MCP

/// Newline-delimited JSON-RPC over a pair of file descriptors, read by a dedicated thread
/// that blocks in `read(2)`. The SDK's `StdioTransport` polls a non-blocking descriptor
/// and sleeps 10 ms when it is empty, which puts up to 10 ms on every request; a blocking
/// read hands each message over as soon as its newline arrives.
public actor BlockingStdioTransport: Transport {
    public nonisolated let logger: Logger
    private let input: Int32
    private let output: Int32
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var reader: Thread?

    /// Messages larger than this are dropped with a log line rather than buffered without end.
    public static let maxMessageBytes = 16 << 20

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, logger: Logger) {
        self.input = input
        self.output = output
        self.logger = logger
        (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    public func connect() async throws {
        guard reader == nil else { return }
        let fd = input, sink = continuation, log = logger
        let thread = Thread { Self.readLoop(fd: fd, sink: sink, logger: log) }
        thread.name = "engram-mcp-stdin"
        thread.stackSize = 1 << 20
        reader = thread
        thread.start()
    }

    public func disconnect() async {
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
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

    public func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    /// Runs on the reader thread until end of input: splits on newlines and yields each
    /// non-blank line. Carriage returns before the newline are tolerated.
    private static func readLoop(fd: Int32, sink: AsyncThrowingStream<Data, any Error>.Continuation, logger: Logger) {
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
                if !skipping { emit(&pending, to: sink) }
                pending.removeAll(keepingCapacity: true)
                skipping = false
                start = i + 1
            }
            if start < n, !skipping {
                pending.append(contentsOf: chunk[start..<n])
                if pending.count > maxMessageBytes {
                    logger.error("dropping a message over \(maxMessageBytes) bytes")
                    pending.removeAll()
                    skipping = true
                }
            }
        }
        if !skipping { emit(&pending, to: sink) }
        sink.finish()
    }

    private static func emit(_ line: inout Data, to sink: AsyncThrowingStream<Data, any Error>.Continuation) {
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") { line.removeLast() }
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else { return }
        sink.yield(Data(line))
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
