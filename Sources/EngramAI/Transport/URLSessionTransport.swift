import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `HTTPTransport` over one shared URLSession, with a hard per-request deadline.
///
/// URLSession's own `timeoutInterval` is an idle timeout (a server that trickles bytes never trips it),
/// so the request also races a deadline and is cancelled when the deadline wins.
package final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// Creates a transport with an ephemeral session: no cookies, no cache, no credentials on disk.
    package init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    package func send(_ request: URLRequest, timeout: Duration) async throws -> HTTPResponse {
        let seconds = max(timeout.seconds, 0.001)
        var timedRequest = request
        timedRequest.timeoutInterval = seconds
        let request = timedRequest
        let session = self.session
        return try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            group.addTask {
                try await Self.perform(request, on: session, timeoutSeconds: seconds)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw LLMError.timedOut(seconds: seconds)
            }
            defer { group.cancelAll() }
            do {
                guard let first = try await group.next() else { throw LLMError.cancelled }
                return first
            } catch is CancellationError {
                throw LLMError.cancelled
            }
        }
    }

    private static func perform(_ request: URLRequest, on session: URLSession, timeoutSeconds: Double) async throws -> HTTPResponse {
        let holder = DataTaskHolder()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: Self.map(error, timeoutSeconds: timeoutSeconds))
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(throwing: LLMError.malformedResponse("not an HTTP response"))
                        return
                    }
                    var headers: [String: String] = [:]
                    for (key, value) in http.allHeaderFields {
                        if let key = key as? String, let value = value as? String {
                            headers[key.lowercased()] = value
                        }
                    }
                    continuation.resume(returning: HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
                }
                holder.start(task)
            }
        } onCancel: {
            holder.cancel()
        }
    }

    private static func map(_ error: any Error, timeoutSeconds: Double) -> LLMError {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut: return .timedOut(seconds: timeoutSeconds)
            case .cancelled: return .cancelled
            default: return .transport(urlError.localizedDescription)
            }
        }
        return .transport(error.localizedDescription)
    }
}

/// Lets the cancellation handler reach the data task that the continuation created, whichever runs first.
private final class DataTaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func start(_ task: URLSessionDataTask) {
        lock.lock()
        self.task = task
        let alreadyCancelled = cancelled
        lock.unlock()
        if alreadyCancelled { task.cancel() } else { task.resume() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}
