import Foundation
@testable import EngramEmbeddings

/// Runs Scripts/embeddings/fake_hub.py (python stdlib) on an ephemeral localhost port for the life of the value.
final class FakeServer: @unchecked Sendable {
    let process = Process()
    let baseURL: URL
    /// Closing this pipe tells the server to exit, even if SIGTERM is blocked in the child.
    private let input = Pipe()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestSupport.scripts.appendingPathComponent("fake_hub.py").path] + arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        var line = Data()
        while true {
            let byte = pipe.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw EmbeddingError.network("fake server did not start: \(text)")
        }
        baseURL = URL(string: "http://127.0.0.1:\(port)")!
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
    }
}
