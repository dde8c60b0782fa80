import EngramTestSupport
import Foundation
import Testing

/// `engram-bench hybrid` end to end on a small store: the engram side runs in its own process and reports
/// what the figures need; the LanceDB peer runs when lancedb is installed for python3.
@Suite struct HybridBenchCLITests {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" && url.path != "/" { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent()
    }()

    static var lancedbInstalled: Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('lancedb') else 1)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    func bench(_ extra: [String]) throws -> [String: Any] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let script = Self.repositoryRoot.appendingPathComponent("Scripts/embeddings/hybrid_peer.py").path
        let bench = EngramProcess.binary.deletingLastPathComponent().appendingPathComponent("engram-bench")
        let r = try EngramProcess.run(
            ["hybrid", "--sizes", "300", "--synthetic", "--rounds", "2", "--peer-script", script, "--json"] + extra,
            env: ["ENGRAM_HOME": root.appendingPathComponent("home").path, "ENGRAM_WORKER_AUTOSTART": "0"],
            cwd: root, executable: bench)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    @Test func engramSideReportsLatencyLoadAndMemory() throws {
        let report = try bench(["--python", "no-such-python"])
        #expect((report["peer_note"] as? String)?.contains("not found") == true)
        #expect((report["vectors"] as? String)?.hasPrefix("synthetic") == true)
        let run = try #require((report["runs"] as? [[String: Any]])?.first)
        #expect(run["observations"] as? Int == 300)
        // 300 observations and the session summaries the corpus writes, every one with a vector.
        let records = try #require(run["records"] as? Int)
        #expect(records > 300)
        let engram = try #require(run["engram"] as? [String: Any])
        let search = try #require(engram["search"] as? [String: Any])
        #expect(search["samples"] as? Int == 2 * (report["queries"] as? Int ?? 0))
        #expect((search["p50"] as? Double ?? 0) > 0)
        #expect((engram["resident_mb"] as? Double ?? 0) > 0)
        #expect((engram["index_mb"] as? Double ?? 0) > 0)
        #expect(run["peer"] == nil)
    }

    @Test(.enabled(if: lancedbInstalled, "lancedb is not installed for python3"))
    func lancedbPeerRunsOnTheSameRecords() throws {
        let report = try bench([])
        #expect(report["peer_note"] == nil, "\(report["peer_note"] ?? "")")
        let run = try #require((report["runs"] as? [[String: Any]])?.first)
        let peer = try #require(run["peer"] as? [String: Any])
        #expect((peer["search"] as? [String: Any])?["samples"] as? Int == 2 * (report["queries"] as? Int ?? 0))
        #expect(run["ratio"] != nil)
        // Same records and vectors: the two top-10 lists share results (bm25 flavours differ, so not all).
        #expect((run["overlap_at_limit"] as? Double ?? 0) > 0.2)
    }
}
