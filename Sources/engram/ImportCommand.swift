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
            let data: Data
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                let path = (file as NSString).expandingTildeInPath
                guard let d = FileManager.default.contents(atPath: path) else {
                    throw EngramError.invalidArgument("Cannot read \(path). Check the path; nothing was imported.")
                }
                data = d
            }
            let engram = try openEngram()
            var bar = ProgressBar(label: "Importing")
            let summary = try MemoryImporter(store: engram.store).importData(data) { bar.update($0, $1) }
            bar.finish()
            if output.json { try Terminal.printJSON(Out(inserted: summary.inserted, skipped: summary.skipped)); return }
            let parts = ExportFormat.typeNames.compactMap { t in summary.inserted[t].map { "\($0) \(t)\($0 == 1 ? "" : "s")" } }
            print("Imported \(summary.totalInserted) records" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
                  + "; skipped \(summary.totalSkipped) already present.")
        }
    }
}
