import Foundation
import Testing

/// `engram model …`, `engram reindex` and `engram search --mode` through the real binary.
@Suite struct EmbeddingCLITests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    final class CLI: @unchecked Sendable {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-embcli-\(UUID().uuidString)")
        var project: URL { root.appendingPathComponent("project") }
        init() throws { try FileManager.default.createDirectory(at: project.appendingPathComponent(".git"), withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: root) }

        static var binary: URL? {
            var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("engram")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
            return nil
        }

        func run(_ args: [String], stdin: String = "") throws -> Run {
            let p = Process()
            p.executableURL = try #require(Self.binary, "the engram binary is built beside the tests by `swift build`")
            p.arguments = args
            var env = ProcessInfo.processInfo.environment
            env["ENGRAM_HOME"] = root.appendingPathComponent("home").path
            env["ENGRAM_EMBEDDINGS_MODEL"] = "tiny"
            env.removeValue(forKey: "ENGRAM_DISABLED")
            p.environment = env
            p.currentDirectoryURL = project
            let out = Pipe(), err = Pipe(), inp = Pipe()
            p.standardOutput = out; p.standardError = err; p.standardInput = inp
            try p.run()
            inp.fileHandleForWriting.write(Data(stdin.utf8))
            try inp.fileHandleForWriting.close()
            let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
        }
    }

    @Test func modelLifecycleSearchNoticeAndReindex() throws {
        let cli = try CLI()
        let payload =
            #"{"session_id":"s1","cwd":"\#(cli.project.path)","hook_event_name":"PostToolUse","tool_name":"Read","tool_input":{"file_path":"\#(cli.project.path)/auth.py"},"tool_response":{"type":"text","file":{"filePath":"auth.py","content":"x = 1\n","numLines":1}}}"#
        #expect(try cli.run(["hook", "post-tool-use"], stdin: payload).status == 0)
        #expect(try cli.run(["process"]).status == 0)

        // No model: keyword search works, and says so once.
        let first = try cli.run(["search", "auth", "--json"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("\"id\" : \"#1\""))
        #expect(first.stderr.contains("no embedding model installed"))
        let second = try cli.run(["search", "auth"])
        #expect(second.status == 0 && !second.stderr.contains("no embedding model"))
        #expect(try cli.run(["reindex"]).status == 1)
        #expect(try cli.run(["model", "list"]).stdout.contains("No embedding model installed"))

        let src = try EmbeddingTestModel.write(to: cli.root.appendingPathComponent("src"), name: "tiny-src")
        let imported = try cli.run(["model", "import", src.path, "--name", "tiny"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let list = try cli.run(["model", "list", "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
        #expect(entries?.count == 1)
        #expect(entries?.first?["name"] as? String == "tiny")
        #expect(entries?.first?["active"] as? Bool == true)
        // Importing the active model embeds what is already stored, so a reindex finds nothing left.
        #expect(imported.stdout.contains("Embedded 1 stored record"), "\(imported.stdout)")

        let reindex = try cli.run(["reindex", "--json"])
        #expect(reindex.status == 0, "\(reindex.stderr)")
        #expect(reindex.stdout.contains("\"embedded\" : 0") && reindex.stdout.contains("\"remaining\" : 0"))
        let semantic = try cli.run(["search", "anything at all", "--mode", "semantic", "--json"])
        #expect(semantic.status == 0)
        #expect(semantic.stdout.contains("\"matched\" : [") && semantic.stdout.contains("\"#1\""))

        #expect(try cli.run(["model", "remove", "tiny"]).status == 0)
        #expect(try cli.run(["model", "remove", "tiny"]).status == 1)
        #expect(try cli.run(["model", "list"]).stdout.contains("No embedding model installed"))
        #expect(try cli.run(["search", "auth", "--mode", "nonsense"]).status == 2)

        // Install errors are clear and leave nothing behind (the download itself is tested against a fake hub
        // in EngramEmbeddingsTests).
        let unknown = try cli.run(["model", "install", "no-such-model"])
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown model"))
        let offline = try cli.run(["model", "install", "--hub", "http://127.0.0.1:9"])
        #expect(offline.status == 1 && offline.stderr.contains("127.0.0.1:9"))
        #expect(try cli.run(["model", "list"]).stdout.contains("No embedding model installed"))
    }
}
