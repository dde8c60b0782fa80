internal import CEngramSandbox
import Foundation

/// Names what the C side reported: which limit ended the run, or how the job ended on its own.
struct SandboxOutcome {
    let result: SandboxResult

    init(raw: engram_sandbox_result, limits: SandboxLimits, isolation: SandboxIsolation) {
        let stdout = Self.text(raw.stdout_data, raw.stdout_length)
        let stderr = Self.text(raw.stderr_data, raw.stderr_length)
        let rawReason = withUnsafeBytes(of: raw.reason) { buf in
            String(decoding: buf.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        var status: SandboxStatus
        var reason: String?
        let exitCode = Int(raw.exit_code)
        switch raw.outcome {
        case Int32(ENGRAM_SANDBOX_WALL_TIMEOUT.rawValue):
            status = .timeout
            reason = "The wall-clock limit of \(Self.seconds(limits.wallSeconds)) passed; the job and every process it started were killed."
        case Int32(ENGRAM_SANDBOX_OUTPUT_LIMIT.rawValue):
            status = .killed
            reason = "The job wrote more than \(limits.outputBytes) bytes of output; it was killed and its output cut there."
        case Int32(ENGRAM_SANDBOX_SETUP_FAILED.rawValue):
            status = .refused
            reason = Self.setupReason(rawReason, errno: raw.setup_errno, isolation: isolation)
        case Int32(ENGRAM_SANDBOX_SIGNALED.rawValue):
            let signal = raw.term_signal
            let cpuLimitMs = Double(limits.cpuSeconds) * 1000
            if signal == SIGXCPU || (signal == SIGKILL && raw.cpu_ms >= cpuLimitMs * 0.95) {
                status = .timeout
                reason = "The CPU-time limit of \(limits.cpuSeconds) s passed; the job was killed."
            } else if Self.ranOutOfMemory(stderr: stderr, peakKb: raw.peak_memory_kb, limits: limits) {
                status = .memory
                reason = "The job ran out of its \(limits.memoryMB) MB memory limit (killed by signal \(signal))."
            } else {
                status = .killed
                reason = "The job was killed by signal \(signal) (\(Self.signalName(signal)))."
            }
        default:
            if exitCode == 0 {
                status = .ok
            } else if Self.ranOutOfMemory(stderr: stderr, peakKb: raw.peak_memory_kb, limits: limits) {
                status = .memory
                reason = "The job ran out of its \(limits.memoryMB) MB memory limit."
            } else {
                status = .error
                reason = "The job exited with code \(exitCode)" + (Self.lastLine(stderr).map { ": \($0)" } ?? ".")
            }
        }
        result = SandboxResult(
            status: status, exitCode: status == .refused ? -1 : exitCode, stdout: stdout, stderr: stderr,
            durationMs: raw.duration_ms, peakMemoryKb: Int(raw.peak_memory_kb), reason: reason, isolation: isolation,
            cpuMs: raw.cpu_ms)
    }

    static func text(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> String {
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    static func lastLine(_ text: String) -> String? {
        text.split(separator: "\n").last.map { String($0.prefix(300)) }
    }

    /// Python raises MemoryError when an allocation fails under RLIMIT_AS; the interpreter itself may also die of it.
    static func ranOutOfMemory(stderr: String, peakKb: Int, limits: SandboxLimits) -> Bool {
        if let last = lastLine(stderr), last.hasPrefix("MemoryError") { return true }
        return stderr.contains("Cannot allocate memory") || stderr.contains("MemoryError") && peakKb > (limits.memoryMB << 10) / 2
    }

    static func setupReason(_ reason: String, errno code: Int32, isolation: SandboxIsolation) -> String {
        var text = "The sandbox could not be set up: \(reason)."
        let namespaceStage =
            reason.hasPrefix("creating the namespaces") || reason.hasPrefix("writing the user namespace")
            || reason.hasPrefix("mounting") || reason.hasPrefix("making the mount namespace")
        if isolation == .namespaces, namespaceStage, code == EPERM || code == ENOSPC || code == EACCES || code == EINVAL {
            text += " The kernel forbids the namespaces the sandbox needs (Ubuntu 24.04: kernel.apparmor_restrict_unprivileged_userns=1;"
            text += " elsewhere kernel.unprivileged_userns_clone=0 or user.max_user_namespaces=0). Allow unprivileged user namespaces,"
            text += " or set ENGRAM_SANDBOX_ISOLATION=rlimits for a weaker sandbox (rlimits, seccomp and no_new_privs only: the job"
            text += " sees the host's files and network)."
        }
        return text
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: "SIGKILL"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGTERM: "SIGTERM"
        case SIGXFSZ: "SIGXFSZ"
        case SIGSYS: "SIGSYS"
        case SIGILL: "SIGILL"
        case SIGFPE: "SIGFPE"
        default: "signal \(signal)"
        }
    }
}
