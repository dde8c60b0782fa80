import ArgumentParser
import EngramCore
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure engram's hot paths beside a peer, on a seeded temporary data dir."
    )
    func run() async throws {
        Terminal.printErr("engram bench: not built yet")
        throw ExitCode.failure
    }
}
