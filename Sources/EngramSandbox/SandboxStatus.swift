/// How a sandboxed run ended.
package enum SandboxStatus: String, Sendable, Hashable, Codable {
    /// The job exited 0.
    case ok
    /// The job exited with another code (an exception, a failed test, a refused system call it did not handle).
    case error
    /// The wall-clock or CPU limit passed; every process of the job was killed.
    case timeout
    /// The job ran out of its address-space limit.
    case memory
    /// The job was killed: a signal, or more output than the limit.
    case killed
    /// The job never ran: the limits were above the ceilings, the code was refused, or the sandbox could not be built.
    case refused
}
