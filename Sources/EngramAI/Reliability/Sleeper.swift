import Foundation

/// Waits between retries. Injected so tests can record the requested delays instead of waiting.
package protocol Sleeper: Sendable {
    /// Suspends for `duration`; throws `CancellationError` if the task is cancelled meanwhile.
    func sleep(for duration: Duration) async throws
}

/// The real sleeper, on the task clock.
package struct TaskSleeper: Sleeper {
    package init() {}

    package func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
