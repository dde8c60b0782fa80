import EngramCore
import EngramEmbeddings
import EngramRuntime
import Foundation

/// `engram-bench embed`: the local encoder beside sentence-transformers (when it imports), plus vector index
/// load time, brute-force search percentiles at 10k and 100k vectors, and resident memory after loading the model.
struct EmbedBench {
    struct PeerLatency: Codable { var tokens: Int; var p50Milliseconds: Double; var minMilliseconds: Double }
    struct Peer: Codable { var peer: String; var threads: Int; var latencies: [PeerLatency]; var textsPerSecond: Double }

    struct IndexRun: Codable {
        var vectors: Int
        var storage: String
        var loadMilliseconds: Double
        var search: BenchStats
    }

    struct Report: Codable {
        var encoder: EncoderBenchmark.Report
        /// The other kernel paths this CPU runs (slower than `encoder`'s), measured in the same run.
        var otherKernelPaths: [EncoderBenchmark.Report]
        /// CPU model and the instruction-set flags the kernel paths depend on.
        var cpu: String
        var peer: Peer?
        var peerNote: String?
        var index: [IndexRun]
        var residentMemoryMBAfterModelLoad: Double?

        var table: String {
            var lines = [
                "cpu \(cpu)",
                "encoder \(encoder.modelID) (\(encoder.threads) threads, kernel path \(encoder.kernelPath.rawValue))"
                    + (peer.map { " vs \($0.peer) (\($0.threads) threads)" } ?? ""),
            ]
            lines.append("  tokens   engram p50 ms   peer p50 ms   peer/engram (>1: engram faster)")
            for l in encoder.latencies {
                let p = peer?.latencies.first { $0.tokens == l.tokens }
                let ratio = p.map { String(format: "%.2fx", $0.p50Milliseconds / max(l.p50Milliseconds, 1e-9)) } ?? "—"
                lines.append(
                    String(
                        format: "  %6d   %13.2f   %11@   %@", l.tokens, l.p50Milliseconds,
                        p.map { String(format: "%.2f", $0.p50Milliseconds) } ?? "—", ratio))
            }
            let peerTPS = peer.map { String(format: "%.1f", $0.textsPerSecond) } ?? "—"
            lines.append(String(format: "  throughput: %.1f texts/s (peer %@)", encoder.textsPerSecond, peerTPS))
            for other in otherKernelPaths {
                let each = other.latencies.map { String(format: "%d tokens %.2f ms", $0.tokens, $0.p50Milliseconds) }
                lines.append(
                    "  kernel path \(other.kernelPath.rawValue): p50 " + each.joined(separator: ", ")
                        + String(format: "; %.1f texts/s", other.textsPerSecond))
            }
            if let note = peerNote { lines.append("  peer: \(note)") }
            if let rss = residentMemoryMBAfterModelLoad { lines.append(String(format: "  resident memory after model load: %.1f MB", rss)) }
            lines.append("vector index (brute force, k=10; load = building it from synthetic vectors)")
            for r in index {
                lines.append(
                    String(
                        format: "  %7d %@  load %.1f ms  search p50 %.3f ms  p95 %.3f ms", r.vectors, r.storage,
                        r.loadMilliseconds, r.search.p50, r.search.p95))
            }
            return lines.joined(separator: "\n")
        }
    }

    let modelDirectory: URL
    let python: String
    let peerScript: String
    let sizes: [Int]
    let queries: Int

    func run() throws -> Report {
        let encoder = try BertEncoder(directory: modelDirectory)
        let rss = Self.residentMB()
        let encoderReport = EncoderBenchmark(encoder: encoder).run()
        let others = try KernelPath.available.reversed().filter { $0 != encoder.kernelPath }.map { path in
            EncoderBenchmark(encoder: try BertEncoder(directory: modelDirectory, kernelPath: path)).run()
        }
        var peer: Peer?
        var note: String?
        if !FileManager.default.fileExists(atPath: peerScript) {
            note = "peer script \(peerScript) not found (run from the repository root)"
        } else if (try? Self.capture(python, ["-c", "import sentence_transformers"])) == nil {
            note = "sentence-transformers does not import in \(python); engram only"
        } else if let out = try? Self.capture(python, [peerScript, modelDirectory.path, "--threads", String(encoder.threads)]),
            let line = out.split(separator: "\n").last
        {
            peer = try? JSONDecoder().decode(Peer.self, from: Data(line.utf8))
            if peer == nil { note = "peer output unreadable" }
        } else {
            note = "peer script failed"
        }
        var runs: [IndexRun] = []
        let dims = encoder.dimensions
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Float {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(rng >> 40) / Float(1 << 24) * 2 - 1
        }
        for n in sizes {
            let rows: [(Int64, [Float])] = (0..<n).map { i in (Int64(i), (0..<dims).map { _ in next() }) }
            for storage in [VectorIndex.Storage.float32, .int8] {
                var index = VectorIndex(dimensions: dims, storage: storage)
                let load = try Stopwatch.ms { for (id, v) in rows { try index.add(id: id, vector: v) } }
                var times: [Double] = [], scans: [Double] = []
                for _ in 0..<queries {
                    let q = (0..<dims).map { _ in next() }
                    times.append(try Stopwatch.ms { _ = try index.search(q, k: 10) })
                    // What the float32 search answers exactly, done the plain way: every vector read in float32.
                    if storage == .float32 { scans.append(try Stopwatch.ms { _ = try index.exhaustiveSearch(q, k: 10) }) }
                }
                runs.append(IndexRun(vectors: n, storage: storage.rawValue, loadMilliseconds: load, search: BenchStats(times)))
                if !scans.isEmpty {
                    runs.append(IndexRun(vectors: n, storage: "float32, every vector scanned", loadMilliseconds: load, search: BenchStats(scans)))
                }
            }
        }
        return Report(
            encoder: encoderReport, otherKernelPaths: others, cpu: Self.cpuDescription(), peer: peer, peerNote: note, index: runs,
            residentMemoryMBAfterModelLoad: rss)
    }

    /// "model name" and the SIMD flags of /proc/cpuinfo (Linux); "unknown" elsewhere.
    static func cpuDescription() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let lines = info.split(separator: "\n")
        func field(_ name: String) -> String {
            lines.first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        let simd = field("flags").split(separator: " ").filter { $0 == "avx2" || $0 == "fma" || $0.hasPrefix("avx512") || $0.contains("vnni") }
        return "\(field("model name")) (\(simd.joined(separator: " ")))"
    }

    /// VmRSS from /proc (Linux); nil elsewhere.
    static func residentMB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kb / 1024
    }

    static func capture(_ exe: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [exe] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
        return String(decoding: data, as: UTF8.self)
    }
}
