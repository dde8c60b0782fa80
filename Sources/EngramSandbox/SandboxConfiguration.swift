import Foundation

/// How the sandbox runs jobs on this machine: the interpreter, the isolation, what the job sees, and the limits.
package struct SandboxConfiguration: Sendable, Hashable {
    /// The interpreter and its leading arguments; the program's path follows them. The first element is a path or a
    /// name looked up in the standard system directories (never in a home directory, which the job cannot see).
    package var interpreter: [String]
    package var isolation: SandboxIsolation
    /// Host paths the job sees read-only, at the same place.
    package var readOnlyPaths: [String]
    /// Paths hidden inside the view even when under a read-only path (secrets, engram's own data).
    package var hiddenPaths: [String]
    /// Limits used when a call asks for none.
    package var defaultLimits: SandboxLimits
    /// The most a call or a saved function may ask for.
    package var ceilings: SandboxLimits
    /// The uid/gid the job runs as when engram runs as root (otherwise the caller's own).
    package var unprivilegedUID: UInt32
    package var unprivilegedGID: UInt32

    package init(
        interpreter: [String] = SandboxConfiguration.defaultInterpreter, isolation: SandboxIsolation = .namespaces,
        readOnlyPaths: [String] = SandboxConfiguration.defaultReadOnlyPaths,
        hiddenPaths: [String] = SandboxConfiguration.defaultHiddenPaths,
        defaultLimits: SandboxLimits = .defaults, ceilings: SandboxLimits = .defaultCeilings,
        unprivilegedUID: UInt32 = 65534, unprivilegedGID: UInt32 = 65534
    ) {
        self.interpreter = interpreter
        self.isolation = isolation
        self.readOnlyPaths = readOnlyPaths
        self.hiddenPaths = hiddenPaths
        self.defaultLimits = defaultLimits
        self.ceilings = ceilings
        self.unprivilegedUID = unprivilegedUID
        self.unprivilegedGID = unprivilegedGID
    }

    /// `python3 -I -S`: isolated mode (no environment variables, no user site, no cwd on sys.path) without `site`.
    package static let defaultInterpreter = ["python3", "-I", "-S"]

    /// The system's programs and libraries, and /etc for the dynamic loader and locale data.
    package static let defaultReadOnlyPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"]

    /// Secrets that live under /etc. Home directories, /root and engram's data dir are never bound in the first place,
    /// and are hidden as well in case a configured read-only path covers them.
    package static let defaultHiddenPaths = [
        "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers", "/etc/sudoers.d",
        "/etc/ssl/private", "/etc/ssh", "/etc/security/opasswd", "/root", "/home",
    ]

    /// Directories searched for an interpreter given by name, in order.
    static let interpreterSearchPath = ["/usr/bin", "/usr/local/bin", "/bin", "/opt/homebrew/bin"]

    /// The configuration from `ENGRAM_SANDBOX_*` environment variables over the defaults:
    /// `ENGRAM_SANDBOX_PYTHON` (the interpreter command line, split on spaces), `ENGRAM_SANDBOX_ISOLATION`
    /// (`namespaces` or `rlimits`), `ENGRAM_SANDBOX_READONLY_PATHS` (extra paths, comma-separated).
    /// `engramHome` is added to the hidden paths.
    package static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        engramHome: String?
    ) throws(SandboxConfigurationError) -> SandboxConfiguration {
        var config = SandboxConfiguration()
        if let python = env["ENGRAM_SANDBOX_PYTHON"]?.trimmingCharacters(in: .whitespaces), !python.isEmpty {
            config.interpreter = python.split(separator: " ").map(String.init)
        }
        if let raw = env["ENGRAM_SANDBOX_ISOLATION"], !raw.isEmpty {
            guard let isolation = SandboxIsolation(rawValue: raw) else { throw .badIsolation(raw) }
            config.isolation = isolation
        }
        if let extra = env["ENGRAM_SANDBOX_READONLY_PATHS"], !extra.isEmpty {
            config.readOnlyPaths += extra.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        if let home = engramHome { config.hiddenPaths.append(home) }
        if let userHome = env["HOME"], userHome.hasPrefix("/"), userHome != "/" { config.hiddenPaths.append(userHome) }
        return config
    }
}

/// A sandbox setting that cannot be used.
package enum SandboxConfigurationError: LocalizedError, Equatable {
    case badIsolation(String)

    package var errorDescription: String? {
        switch self {
        case .badIsolation(let value):
            return
                "ENGRAM_SANDBOX_ISOLATION is \"\(value)\": use \"namespaces\" (the sandbox) or \"rlimits\" (weaker: no filesystem, network or process isolation)."
        }
    }
}
