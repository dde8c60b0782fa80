import Foundation
import Testing

@testable import EngramSandbox

/// The weaker mode for kernels without namespaces: it must still hold its own promises (limits, no root, no process
/// left behind, no temp dir left behind) and say that it is the weaker mode.
@Suite("Sandbox rlimits mode", .serialized)
struct RlimitsModeTests {
    static let runner: SandboxRunner = {
        var c = SandboxConfiguration()
        c.isolation = .rlimitsOnly
        return SandboxRunner(configuration: c)
    }()

    func run(_ source: String, arguments: [String] = [], wall: Double = 5) -> SandboxResult {
        var l = SandboxLimits.defaults
        l.wallSeconds = wall
        return Self.runner.run(SandboxJob(source: source, arguments: arguments), limits: l)
    }

    @Test("it says which mode it is, drops root, and removes its temp dir")
    func identityAndCleanup() throws {
        let r = run(
            """
            import os
            print(os.getuid(), os.getcwd())
            print(open('/proc/self/status').read().count('NoNewPrivs:\\t1'))
            """)
        #expect(r.status == .ok, "\(r)")
        #expect(r.isolation == .rlimitsOnly)
        let fields = r.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
        try #require(fields.count == 3)
        if geteuid() == 0 { #expect(fields[0] == "65534") }
        #expect(fields[2] == "1")
        #expect(!FileManager.default.fileExists(atPath: fields[1]), "the work dir \(fields[1]) outlived the run")
    }

    @Test("a daemon cannot leave the process group and dies with the run")
    func daemonDies() {
        let marker = SandboxFixture.marker("weakdaemon")
        let r = run(
            """
            import os, time
            try:
                os.setsid(); print('SETSID')
            except OSError as e:
                print('nosetsid', e.errno)
            if os.fork() == 0:
                for fd in (0, 1, 2): os.close(fd)
                time.sleep(60)
            print('parent done')
            """, arguments: [marker])
        #expect(r.status == .ok, "\(r)")
        #expect(r.stdout.contains("nosetsid 1"), "\(r.stdout)")
        #expect(SandboxFixture.hostProcesses(mentioning: marker).isEmpty)
    }

    @Test("the wall limit still kills the job")
    func wall() {
        #expect(run("while True: pass", wall: 1).status == .timeout)
    }
}
