import Foundation

@testable import EngramSandbox

/// Shared helpers of the containment suite: a runner, unique markers, and looks at the host from outside the sandbox.
enum SandboxFixture {
    static let runner = SandboxRunner()

    static func run(
        _ source: String, arguments: [String] = [], limits: SandboxLimits = .defaults,
        runner: SandboxRunner = SandboxFixture.runner
    ) -> SandboxResult {
        runner.run(SandboxJob(source: source, arguments: arguments), limits: limits)
    }

    /// Short wall limits keep the suite fast; the limits under test are still the ones that fire.
    static func quick(wall: Double = 2, cpu: Int = 2) -> SandboxLimits {
        var l = SandboxLimits.defaults
        l.wallSeconds = wall
        l.cpuSeconds = cpu
        return l
    }

    static func marker(_ tag: String) -> String { "engram-sbx-\(tag)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// Host processes whose command line mentions `marker` (the job gets it as an argument, so each of its
    /// processes carries it).
    static func hostProcesses(mentioning marker: String) -> [Int32] {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let data = fm.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let text = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return text.contains(marker) ? pid : nil
        }
    }

    /// A fresh host directory the job must not be able to touch.
    static func hostDirectory(_ tag: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(marker(tag), isDirectory: true)
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
        return url
    }

    /// Every file name under `root` (recursively), for "nothing new appeared here" checks.
    static func names(under root: String) -> Set<String> {
        var out = Set<String>()
        guard let e = FileManager.default.enumerator(atPath: root) else { return out }
        while let p = e.nextObject() as? String { out.insert(p) }
        return out
    }
}
