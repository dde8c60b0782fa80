import EngramCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands a hook to the full `engram` binary by replacing this process with `engram hook <event>`,
/// so stdin, stdout, stderr and the environment pass through untouched.
enum HookHandover {
    /// Returns only when the full binary cannot be run; the caller then handles the hook itself
    /// (without code intelligence, which only the full binary carries).
    static func execFullBinary(event: String) {
        guard let engram = WorkerLauncher.currentEngramExecutable(), engram.lastPathComponent == "engram" else {
            FileHandle.standardError.write(Data("engram: no `engram` binary beside engram-hook; running \(event) without code intelligence\n".utf8))
            return
        }
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(engram.path), strdup("hook"), strdup(event), nil]
        execv(engram.path, argv)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("engram: could not run \(engram.path) (\(reason)); running \(event) without code intelligence\n".utf8))
    }
}
