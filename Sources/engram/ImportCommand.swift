import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read a file written by `engram export` into this data directory.",
        discussion: """
            Every line is checked before anything is written; a bad line is reported by its number and nothing is imported. \
            Records already present are skipped, so importing the same file twice adds nothing. Use - to read stdin.
            """
    )

    @Argument(help: "The JSONL file from `engram export` (- for stdin).")
    var file: String
    @OptionGroup var output: OutputOptions

    struct Out: Encodable {
        var inserted: [String: Int]
        var skipped: [String: Int]
    }

    func run() async throws {
        try await guarded {
            let engine = try openEngine()
            var bar = ProgressBar(label: "Importing")
            let summary: MemoryImporter.Summary
            if file == "-" {
                // Read twice (checked, then written), so stdin goes to a private file first, never into memory whole.
                let temp = engine.paths.home.appendingPathComponent(".import-\(getpid()).jsonl")
                guard FileManager.default.createFile(atPath: temp.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                    let out = FileHandle(forWritingAtPath: temp.path)
                else {
                    throw EngramError.invalidArgument(
                        "Cannot buffer stdin in \(engine.paths.home.path); check that it is writable. Nothing was imported.")
                }
                defer { try? FileManager.default.removeItem(at: temp) }
                while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
                try out.close()
                summary = try engine.importFile(at: temp) { bar.update($0, $1) }
            } else {
                let path = (file as NSString).expandingTildeInPath
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw EngramError.invalidArgument("Cannot read \(path). Check the path; nothing was imported.")
                }
                summary = try engine.importFile(at: URL(fileURLWithPath: path)) { bar.update($0, $1) }
            }
            bar.finish()
            if output.json { try Terminal.printJSON(Out(inserted: summary.inserted, skipped: summary.skipped)); return }
            let parts = ExportFormat.typeNames.compactMap { t in summary.inserted[t].map { "\($0) \(t)\($0 == 1 ? "" : "s")" } }
            print(
                "Imported \(summary.totalInserted) records" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
                    + "; skipped \(summary.totalSkipped) already present.")
        }
    }
}
