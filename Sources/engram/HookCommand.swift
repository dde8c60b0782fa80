import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramRuntime
import Foundation

struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Run a Claude Code hook: reads the hook's JSON on stdin.",
        discussion: """
            Events: session-start, user-prompt-submit, post-tool-use, post-tool-use-failure, stop, session-end.
            A hook always exits 0 and prints nothing on stdout but its JSON answer; problems go to stderr and logs/engram.log.
            Set ENGRAM_DISABLED=1, or put a .engram-ignore file at a project's root, to switch capture off.
            """
    )

    @Argument(help: "The hook event: session-start | user-prompt-submit | post-tool-use | post-tool-use-failure | stop | session-end.")
    var event: String

    func run() async throws {
        await Self.run(event: event)
    }

    /// Runs one hook; `engram hook EVENT` comes straight here from `main`, before the argument parser,
    /// whose reflection over every command is a large part of a hook process's start-up.
    static func run(event: String) async {
        // Claude Code pipes the payload; a terminal would block forever, so treat it as empty.
        let data = isatty(STDIN_FILENO) == 1 ? Data() : FileHandle.standardInput.readDataToEndOfFile()
        let output = await HookRunner(opener: EngramRuntime.hookOpener).run(event: event, stdin: data)
        for line in output.diagnostics { Terminal.printErr("engram: " + line) }
        if let out = output.stdout {
            FileHandle.standardOutput.write(Data((out + "\n").utf8))
        }
    }
}
