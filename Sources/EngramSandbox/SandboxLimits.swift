/// The resource limits of one sandboxed run. The defaults are the ones a function run gets unless its saved
/// settings or the call ask for others, within the administrator's ceilings.
package struct SandboxLimits: Sendable, Hashable, Codable {
    /// Wall-clock time before the job and every process it started are killed.
    package var wallSeconds: Double
    /// CPU time of each process (RLIMIT_CPU).
    package var cpuSeconds: Int
    /// Address space of each process (RLIMIT_AS), in MiB.
    package var memoryMB: Int
    /// Processes and threads the job may have at once (RLIMIT_NPROC, counted inside its user namespace).
    package var processes: Int
    /// Bytes of stdout plus stderr kept; a job that writes more is killed.
    package var outputBytes: Int
    /// Bytes the job may write in all: the size of its private temp dir (and RLIMIT_FSIZE for each file).
    package var writtenBytes: Int
    /// Open file descriptors (RLIMIT_NOFILE).
    package var openFiles: Int

    package init(
        wallSeconds: Double = 5, cpuSeconds: Int = 2, memoryMB: Int = 256, processes: Int = 16,
        outputBytes: Int = 10 << 20, writtenBytes: Int = 64 << 20, openFiles: Int = 64
    ) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryMB = memoryMB
        self.processes = processes
        self.outputBytes = outputBytes
        self.writtenBytes = writtenBytes
        self.openFiles = openFiles
    }

    /// The defaults: 5 s wall, 2 s CPU, 256 MB, 16 processes, 10 MB of output, 64 MB written.
    package static let defaults = SandboxLimits()

    /// The highest limits a caller may ask for unless an administrator sets others.
    package static let defaultCeilings = SandboxLimits(
        wallSeconds: 60, cpuSeconds: 30, memoryMB: 2048, processes: 64, outputBytes: 64 << 20, writtenBytes: 512 << 20,
        openFiles: 1024)

    /// The first limit above its ceiling, described for a refusal; nil when every limit fits.
    package func violation(of ceilings: SandboxLimits) -> String? {
        if !(wallSeconds > 0) || wallSeconds > ceilings.wallSeconds {
            return "a wall-clock limit of \(wallSeconds) s (allowed: more than 0, at most \(ceilings.wallSeconds) s)"
        }
        let checks: [(String, Int, Int, String)] = [
            ("a CPU limit", cpuSeconds, ceilings.cpuSeconds, "s"),
            ("a memory limit", memoryMB, ceilings.memoryMB, "MB"),
            ("a process limit", processes, ceilings.processes, "processes"),
            ("an output limit", outputBytes, ceilings.outputBytes, "bytes"),
            ("a write limit", writtenBytes, ceilings.writtenBytes, "bytes"),
            ("an open-file limit", openFiles, ceilings.openFiles, "files"),
        ]
        for (what, value, ceiling, unit) in checks where value < 1 || value > ceiling {
            return "\(what) of \(value) \(unit) (allowed: 1 to \(ceiling))"
        }
        return nil
    }
}
