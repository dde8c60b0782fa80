import EngramTestSupport
import Foundation
import Testing

@testable import EngramEmbeddings

@Suite("ModelStore", .enabled(if: TestSupport.python3Available, "python3 is needed for the fake hub server"))
struct ModelStoreTests {
    /// A hub folder holding the tiny model under `test-org/tiny-bert`, and an empty store.
    struct Fixture {
        let tiny: TinyBert
        let hubRoot: URL
        let store: ModelStore
        let spec = ModelSpec(name: "tiny", repo: "test-org/tiny-bert")

        init() throws {
            tiny = try TinyBert()
            hubRoot = try TestSupport.temporaryDirectory()
            let repo = hubRoot.appendingPathComponent("test-org/tiny-bert")
            try FileManager.default.createDirectory(at: repo.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: tiny.directory, to: repo)
            store = ModelStore(root: try TestSupport.temporaryDirectory().appendingPathComponent("models"))
        }

        func cleanup() {
            tiny.remove()
            try? FileManager.default.removeItem(at: hubRoot)
            try? FileManager.default.removeItem(at: store.root.deletingLastPathComponent())
        }
    }

    @Test("installs from a hub, verifies sha256, lists, loads and removes")
    func goodInstall() async throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let hub = try FakeEmbeddingServer(hub: f.hubRoot)
        let model = try await f.store.install(f.spec, from: hub.url)
        #expect(model.source == "hub:test-org/tiny-bert@main")
        let paths = Set(model.files.map(\.path))
        #expect(paths == ["config.json", "model.safetensors", "vocab.txt", "sentence_bert_config.json", "1_Pooling/config.json"])
        let weights = try Data(contentsOf: f.tiny.directory.appendingPathComponent("model.safetensors"))
        #expect(model.files.first { $0.path == "model.safetensors" }?.sha256 == FileDigest.sha256(weights))
        #expect(try f.store.list().map(\.name) == ["tiny"])
        #expect(try f.store.verify(name: "tiny").isEmpty)
        let encoder = try BertEncoder(directory: f.store.directory(for: "tiny"))
        #expect(encoder.dimensions == 32)
        await #expect(throws: EmbeddingError.modelAlreadyInstalled("tiny")) { try await f.store.install(f.spec, from: hub.url) }
        try f.store.remove(name: "tiny")
        #expect(try f.store.list().isEmpty)
        #expect(throws: EmbeddingError.modelNotInstalled("tiny")) { try f.store.remove(name: "tiny") }
    }

    @Test("a sha256 mismatch from the hub listing leaves nothing installed")
    func hubShaMismatch() async throws {
        let f = try Fixture()
        defer { f.cleanup() }
        try #"{"model.safetensors": "\#(String(repeating: "0", count: 64))"}"#
            .write(to: f.hubRoot.appendingPathComponent("sha_overrides.json"), atomically: true, encoding: .utf8)
        let hub = try FakeEmbeddingServer(hub: f.hubRoot)
        let error = await #expect(throws: EmbeddingError.self) { try await f.store.install(f.spec, from: hub.url) }
        guard case .checksumMismatch(let file, _, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(file == "model.safetensors")
        #expect(try f.store.list().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.store.root.path).isEmpty)
    }

    @Test("a pinned sha256 that does not match is refused")
    func pinnedMismatch() async throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let hub = try FakeEmbeddingServer(hub: f.hubRoot)
        var spec = f.spec
        spec.pinnedSHA256 = ["config.json": String(repeating: "a", count: 64)]
        await #expect(throws: EmbeddingError.self) { try await f.store.install(spec, from: hub.url) }
        #expect(try f.store.list().isEmpty)
    }

    @Test("an unknown repository is a 404 with nothing installed")
    func notFound() async throws {
        let f = try Fixture()
        defer { f.cleanup() }
        let hub = try FakeEmbeddingServer(hub: f.hubRoot)
        let error = await #expect(throws: EmbeddingError.self) {
            try await f.store.install(ModelSpec(name: "nope", repo: "test-org/missing"), from: hub.url)
        }
        guard case .download(_, let status) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(status == 404)
        #expect(try f.store.list().isEmpty)
    }

    @Test("a missing required file is a 404")
    func missingRequiredFile() async throws {
        let f = try Fixture()
        defer { f.cleanup() }
        try FileManager.default.removeItem(at: f.hubRoot.appendingPathComponent("test-org/tiny-bert/vocab.txt"))
        let hub = try FakeEmbeddingServer(hub: f.hubRoot)
        await #expect(throws: EmbeddingError.self) { try await f.store.install(f.spec, from: hub.url) }
        #expect(try f.store.list().isEmpty)
    }

    @Test("imports a model folder; a broken folder is refused and leaves nothing")
    func importFolder() throws {
        let f = try Fixture()
        defer { f.cleanup() }
        // Source files readable by everyone (as a wheel or a download leaves them) are stored as the user's alone.
        for name in try FileManager.default.contentsOfDirectory(atPath: f.tiny.directory.path) {
            _ = chmod(f.tiny.directory.appendingPathComponent(name).path, 0o644)
        }
        let model = try f.store.importModel(from: f.tiny.directory, name: "imported")
        #expect(model.source == "import")
        let dir = f.store.root.appendingPathComponent("imported")
        for file in model.files {
            let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(file.path).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file.path) has mode \(String(mode ?? 0, radix: 8))")
        }
        #expect(try f.store.list().map(\.name) == ["imported"])
        try Data("{}".utf8).write(to: f.tiny.directory.appendingPathComponent("config.json"))
        #expect(throws: EmbeddingError.self) { try f.store.importModel(from: f.tiny.directory, name: "broken") }
        #expect(try f.store.list().map(\.name) == ["imported"])
        #expect(throws: EmbeddingError.invalidModelName("../evil")) { try f.store.importModel(from: f.tiny.directory, name: "../evil") }
        // A path that is not a folder says so, instead of naming the first file it could not find.
        let missing = f.tiny.directory.appendingPathComponent("no-such-folder")
        let error = #expect(throws: EmbeddingError.self) { try f.store.importModel(from: missing) }
        #expect(error?.localizedDescription.contains("no model folder at") == true)
    }

    @Test(
        "sha256 matches the FIPS test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ])
    func sha256(input: String, expected: String) throws {
        #expect(FileDigest.sha256(Data(input.utf8)) == expected)
        // The streaming path, across its 1 MB read boundary.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("engram-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let big = Data(repeating: 0x61, count: (1 << 20) + 7) + Data(input.utf8)
        try big.write(to: file)
        #expect(try FileDigest.sha256(fileAt: file) == FileDigest.sha256(big))
        #expect(try FileDigest.sha256(fileAt: file) != FileDigest.sha256(Data(input.utf8)))
    }
}
