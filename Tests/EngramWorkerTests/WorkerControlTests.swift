import Foundation
import Testing

@testable import EngramWorker

/// `worker stop` returns when the worker is gone, which needs telling a live process from a finished one.
@Suite struct WorkerControlTests {
    // A process's state is read from /proc (Linux); elsewhere a zombie counts as running until reaped.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/stat")))
    func aFinishedChildIsNotRunningEvenBeforeItIsReaped() throws {
        #expect(WorkerControl.isRunning(getpid()))
        var child: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { for arg in argv { free(arg) } }
        #expect(posix_spawn(&child, "/bin/true", nil, nil, argv, environ) == 0)
        // Until reaped, the child is a zombie: kill(pid, 0) still succeeds, so only its state says it finished.
        let clock = ContinuousClock(), deadline = clock.now + .seconds(10)
        while clock.now < deadline, WorkerControl.isRunning(child) { usleep(1_000) }
        #expect(!WorkerControl.isRunning(child))
        #expect(kill(child, 0) == 0, "still a zombie, not reaped yet")
        var status: Int32 = 0
        #expect(waitpid(child, &status, 0) == child)
        #expect(!WorkerControl.isRunning(child))
    }
}
