/// The outcome of one sandboxed run, in the shape `engram sandbox exec --json` prints.
package struct SandboxResult: Sendable, Hashable, Codable {
    package var status: SandboxStatus
    /// The job's exit code; 128 + the signal when a signal ended it; -1 when it never ran.
    package var exitCode: Int
    package var stdout: String
    package var stderr: String
    package var durationMs: Double
    package var peakMemoryKb: Int
    /// Why the run was not `ok` in words a person can act on; nil when it was.
    package var reason: String?
    /// Which isolation the run had.
    package var isolation: SandboxIsolation
    /// CPU time the job used (user + system), when known.
    package var cpuMs: Double

    package init(
        status: SandboxStatus, exitCode: Int, stdout: String = "", stderr: String = "", durationMs: Double = 0,
        peakMemoryKb: Int = 0, reason: String? = nil, isolation: SandboxIsolation, cpuMs: Double = 0
    ) {
        self.status = status
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.durationMs = durationMs
        self.peakMemoryKb = peakMemoryKb
        self.reason = reason
        self.isolation = isolation
        self.cpuMs = cpuMs
    }

    /// A run refused before anything started.
    package static func refused(_ reason: String, isolation: SandboxIsolation) -> SandboxResult {
        SandboxResult(status: .refused, exitCode: -1, reason: reason, isolation: isolation)
    }

    enum CodingKeys: String, CodingKey {
        case status, stdout, stderr, reason, isolation
        case exitCode = "exit_code", durationMs = "duration_ms", peakMemoryKb = "peak_memory_kb", cpuMs = "cpu_ms"
    }

    // `reason` is always present (null when ok): the documented shape has the key on every result.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(stdout, forKey: .stdout)
        try c.encode(stderr, forKey: .stderr)
        try c.encode((durationMs * 1000).rounded() / 1000, forKey: .durationMs)
        try c.encode(peakMemoryKb, forKey: .peakMemoryKb)
        try c.encode(reason, forKey: .reason)
        try c.encode(isolation, forKey: .isolation)
        try c.encode((cpuMs * 1000).rounded() / 1000, forKey: .cpuMs)
    }
}
