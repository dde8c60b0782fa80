import Foundation

/// The worker's shared mutable state: when it last did something (for idle exit), whether it
/// is stopping, and the wake-up signal of the queue loop.
actor WorkerState {
    private(set) var lastActivity: Date
    private(set) var stopping = false
    private var pendingWake = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var summarizing: Set<String> = []
    private(set) var processedTotal = 0

    init(now: Date = Date()) { lastActivity = now }

    func touch(_ now: Date = Date()) { lastActivity = max(lastActivity, now) }

    func didProcess(_ count: Int) {
        processedTotal += count
        if count > 0 { touch() }
    }

    func stop() {
        stopping = true
        wake()
    }

    /// Wakes the queue loop now, or makes its next wait return at once.
    func wake() {
        if let w = waiter {
            waiter = nil
            w.resume()
        } else {
            pendingWake = true
        }
    }

    /// Waits for `wake()` or `seconds`, whichever comes first; one waiter at a time (the queue loop).
    func wait(seconds: Double) async {
        if pendingWake || stopping {
            pendingWake = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            guard !Task.isCancelled else { return }
            await self?.timeUp()
        }
        await withCheckedContinuation { waiter = $0 }
        timer.cancel()
    }

    private func timeUp() {
        if let w = waiter {
            waiter = nil
            w.resume()
        }
    }

    /// Marks a session's summary as running; false when it already is.
    func beginSummary(_ id: String) -> Bool { summarizing.insert(id).inserted }
    func endSummary(_ id: String) { summarizing.remove(id) }
}
