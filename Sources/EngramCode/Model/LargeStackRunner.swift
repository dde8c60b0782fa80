import Foundation

/// Runs recursive-descent work on a thread with a known, generous stack, so deeply nested input
/// can never overflow a small caller stack (cooperative-pool and secondary threads may have 512 KiB).
enum LargeStackRunner {
    static let stackSize = 16 * 1024 * 1024

    private final class Box<T>: @unchecked Sendable {
        // Written once by the worker before `signal`, read after `wait`: the semaphore orders the accesses.
        var value: T?
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        guard let value = box.value else { return body() }
        return value
    }
}
