import ArgumentParser
import EngramCore
import EngramRuntime
import EngramSQLite
import Foundation

/// Options shared by read commands.
package struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document and nothing else on stdout.")
    package var json = false

    package init() {}
}

package struct ProjectOption: ParsableArguments {
    @Option(name: .long, help: "The project directory (default: the current directory's project root).")
    package var project: String?

    package init() {}

    /// The project root path as engram stores it.
    package var root: String {
        let dir = project.map { ($0 as NSString).expandingTildeInPath } ?? FileManager.default.currentDirectoryPath
        let abs = dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir
        return ProjectLocator.root(for: abs)
    }
}

package enum Terminal {
    package static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    package static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    package static func bold(_ s: String) -> String { stdoutIsTTY ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    package static func dim(_ s: String) -> String { stdoutIsTTY ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    package static func cyan(_ s: String) -> String { stdoutIsTTY ? "\u{1B}[36m\(s)\u{1B}[0m" : s }

    package static func printErr(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    package static func printJSON<T: Encodable>(_ value: T) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.keyEncodingStrategy = .convertToSnakeCase
        let data = try enc.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// Runs a command body and turns any error into a one-line reason on stderr and exit 1:
/// never a backtrace for bad input.
package func guarded<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let e as ExitCode { throw e } catch let e as CleanExit { throw e } catch let e as ValidationError {
        throw e
    } catch {
        Terminal.printErr("engram: " + oneLineReason(error))
        throw ExitCode.failure
    }
}

/// An error as one line a person can act on (see `ErrorText`).
func oneLineReason(_ error: any Error) -> String { ErrorText.oneLine(error) }

package func openEngram(mode: EngramStore.Mode = .queue) throws -> Engram {
    let engram = try EngramRuntime.open(mode: mode, logToStderr: true)
    // A broken config never stops a command, and never goes unsaid.
    for problem in engram.config.problems { Terminal.printErr("engram: warning: " + problem) }
    return engram
}

/// The engine for a command: `openEngram` wired by the runtime. `loadModel` loads the configured embedding model
/// (search by meaning); without it nothing is loaded until a learning is compared.
package func openEngine(mode: EngramStore.Mode = .queue, loadModel: Bool = false) throws -> Engine {
    let engram = try openEngram(mode: mode)
    return loadModel ? EngramRuntime.engine(engram) : EngramRuntime.engine(engram, encoder: nil)
}
