import EngramCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// engram-hook: the Claude Code hooks alone, in a binary that links only EngramCore, so a hook
// process starts in a few milliseconds instead of paying for the full CLI's start-up.
// `stop` runs code intelligence while it drains the session's queue, so it hands over to the
// full `engram` binary installed beside this one (same stdin, same environment).
// The top level never awaits: a hook runs on the main thread without starting Swift concurrency.

let arguments = CommandLine.arguments.dropFirst()
guard let event = arguments.first, arguments.count == 1, !event.hasPrefix("-") else {
    let usage = """
        usage: engram-hook <event>
          Runs one Claude Code hook, reading its JSON on stdin; always exits 0.
          Events: session-start, user-prompt-submit, post-tool-use, post-tool-use-failure, stop, session-end.
          Same behaviour as `engram hook <event>`; stop is handed to the `engram` binary beside this one.
        """
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(arguments.first == "--help" || arguments.first == "-h" ? 0 : 2)
}

if HookRunner.Event(name: event) == .stop {
    HookHandover.execFullBinary(event: "stop")
}

func answer(_ output: HookRunner.Output) -> Never {
    for line in output.diagnostics { FileHandle.standardError.write(Data(("engram: " + line + "\n").utf8)) }
    if let out = output.stdout { FileHandle.standardOutput.write(Data((out + "\n").utf8)) }
    exit(0)
}

let env = ProcessEnvironment.current()
// With neither ENGRAM_HOME nor HOME the data dir comes from the user database (getpwuid), which a fully static
// binary can only reach through the C library's plug-ins of the very version it was linked with: the full
// binary, dynamically linked, looks it up the system's way.
if (env["ENGRAM_HOME"] ?? "").isEmpty && (env["HOME"] ?? "").isEmpty {
    HookHandover.execFullBinary(event: event, without: "with the data dir of the user database as this binary sees it")
}

let data = isatty(STDIN_FILENO) == 1 ? Data() : FileHandle.standardInput.readDataToEndOfFile()
// Exits inside `answer`, before the engine is torn down (there is nothing left for its deinit to do).
_ = HookRunner(env: env).runBlocking(event: event, stdin: data, finish: answer)
answer(HookHandover.runAsync(event: event, stdin: data))
