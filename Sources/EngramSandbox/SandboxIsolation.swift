/// How strongly a job is isolated.
package enum SandboxIsolation: String, Sendable, Hashable, Codable, CaseIterable {
    /// New user, PID, mount, network, IPC, UTS and cgroup namespaces, a private root, rlimits, no_new_privs and
    /// seccomp: the sandbox.
    case namespaces
    /// rlimits, no_new_privs, seccomp, an unprivileged uid when engram runs as root and its own process group, but
    /// the host's filesystem, network and process list stay visible. Only for kernels that forbid namespaces, and
    /// only when configured.
    case rlimitsOnly = "rlimits"
}
