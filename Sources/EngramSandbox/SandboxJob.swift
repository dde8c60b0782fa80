/// What to run: a Python program, plus files placed beside it in the job's private temp dir.
package struct SandboxJob: Sendable, Hashable {
    /// The program's source, written to `main.py` in the temp dir and run by the interpreter.
    package var source: String
    /// Arguments after the program's name (`sys.argv[1:]`).
    package var arguments: [String]
    /// Extra files by plain name (no `/`), for data the program reads.
    package var files: [String: String]

    package init(source: String, arguments: [String] = [], files: [String: String] = [:]) {
        self.source = source
        self.arguments = arguments
        self.files = files
    }

    /// The name of the program inside the temp dir.
    package static let programName = "main.py"
}
