/// The worker's HTTP routes, named once for the server that registers them and the clients that call them.
public enum WorkerRoute: String, Sendable, CaseIterable {
    case health = "/health"
    case context = "/api/context"
    case search = "/api/search"
    case summarize = "/api/summarize"
    case process = "/api/process"

    public var path: String { rawValue }
}
