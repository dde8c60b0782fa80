import Foundation

/// Waits between retries. Injected so tests can record the requested delays instead of waiting.
public protocol Sleeper: Sendable {
    /// Suspends for `duration`; throws `CancellationError` if the task is cancelled meanwhile.
    func sleep(for duration: Duration) async throws
}

/// The real sleeper, on the task clock.
public struct TaskSleeper: Sleeper {
    public init() {}

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
