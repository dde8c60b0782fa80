import Foundation

/// Lines of a JSONL file or buffer, one at a time, with bounded memory: a line longer than `maxLineBytes`
/// is an error at once (before it is held whole), and a file is read in 1 MB chunks.
struct JSONLLines {
    enum Source {
        case data(Data)
        case file(FileHandle)
    }

    let source: Source
    let maxLineBytes: Int
    private var buffer = Data()
    private var offset = 0
    private var eof = false
    private(set) var number = 0

    init(_ source: Source, maxLineBytes: Int) {
        self.source = source
        self.maxLineBytes = maxLineBytes
        if case .data(let d) = source { buffer = d; eof = true }
    }

    /// The next line (without its `\n` or `\r\n`) and its 1-based number, or nil at the end.
    mutating func next() throws -> (Int, Data)? {
        while true {
            if let nl = buffer[(buffer.startIndex + offset)...].firstIndex(of: 0x0A) {
                var line = buffer[(buffer.startIndex + offset)..<nl]
                offset = nl - buffer.startIndex + 1
                number += 1
                if line.last == 0x0D { line = line.dropLast() }
                guard line.count <= maxLineBytes else { throw PortabilityError.lineTooLong(number, line.count, maxLineBytes) }
                return (number, Data(line))
            }
            let pending = buffer.count - offset
            guard pending <= maxLineBytes else { throw PortabilityError.lineTooLong(number + 1, pending, maxLineBytes) }
            if eof {
                guard pending > 0 else { return nil }
                var line = buffer[(buffer.startIndex + offset)...]
                offset = buffer.count
                number += 1
                if line.last == 0x0D { line = line.dropLast() }
                return (number, Data(line))
            }
            guard case .file(let handle) = source else { eof = true; continue }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { eof = true; continue }
            // Drop what was consumed, keep the partial line.
            buffer = Data(buffer[(buffer.startIndex + offset)...]) + chunk
            offset = 0
        }
    }
}
