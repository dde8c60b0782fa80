import EngramCore
import EngramRuntime
import Foundation
internal import Hummingbird

/// The worker's HTTP API. Read endpoints answer from the store; POST endpoints only schedule
/// work. No endpoint writes to pending_queue: the worker never observes its own activity.
struct WorkerAPI: Sendable {
    /// The worker's engine: the embedding model loaded once (hybrid search, ranking, learnings by meaning), the
    /// LLM's summaries and learnings when configured.
    let engine: Engine
    var engram: Engram { engine.engram }
    let state: WorkerState
    let info: WorkerInfo
    let compressorName: String
    let started = Date()

    func register(on router: Router<BasicRequestContext>) {
        router.get(.init(WorkerRoute.health.path)) { _, _ in try await health() }
        router.get(.init(WorkerRoute.context.path)) { request, _ in try context(request) }
        router.get(.init(WorkerRoute.search.path)) { request, _ in try search(request) }
        router.post(.init(WorkerRoute.summarize.path)) { request, _ in try await summarize(request) }
        router.post(.init(WorkerRoute.process.path)) { _, _ in try await process() }
    }

    func health() async throws -> Response {
        let counts = try await engine.queueCounts()
        var queue: [String: JSONValue] = [:]
        for s in QueueItem.Status.allCases { queue[s.rawValue] = .number(Double(counts.byStatus[s] ?? 0)) }
        return Self.json([
            "status": "ok", "pid": .number(Double(info.pid)), "version": .string(info.version), "started_at": .string(info.startedAt),
            "uptime_seconds": .number(Double(Int(Date().timeIntervalSince(started)))), "compressor": .string(compressorName),
            "processed": .number(Double(await state.processedTotal)), "queue": .object(queue),
        ])
    }

    func context(_ request: Request) throws -> Response {
        let q = request.uri.queryParameters
        guard let project = q.get("project"), !project.isEmpty else { throw HTTPError(.badRequest, message: "missing query parameter: project") }
        var budget: Int?
        if let b = q.get("budget") {
            guard let n = Int(b), n > 0 else { throw HTTPError(.badRequest, message: "budget must be a positive integer, got \"\(b)\"") }
            budget = n
        }
        let briefing: Briefing
        if let session = q.get("session_id"), !session.isEmpty {
            briefing = try engine.brief(sessionID: session, project: project, budget: budget)
        } else {
            briefing = try engine.briefing(project: project, budget: budget)
        }
        return try Self.encoded(briefing)
    }

    func search(_ request: Request) throws -> Response {
        let q = request.uri.queryParameters
        guard let text = q.get("q"), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HTTPError(.badRequest, message: "missing query parameter: q")
        }
        var limit = max(1, engram.config.int("search.limit"))
        if let l = q.get("limit") {
            guard let n = Int(l), (1...500).contains(n) else {
                throw HTTPError(.badRequest, message: "limit must be an integer from 1 to 500, got \"\(l)\"")
            }
            limit = n
        }
        let project = q.get("project").flatMap { $0.isEmpty ? nil : $0 }
        return try Self.encoded(engine.search(.init(text: text, project: project, limit: limit)))
    }

    func summarize(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let value = try? JSONValue.parse(body.getString(at: body.readerIndex, length: body.readableBytes) ?? ""),
            let session = value["session_id"]?.textValue, !session.isEmpty
        else {
            throw HTTPError(.badRequest, message: "expected a JSON body {\"session_id\": \"...\"}")
        }
        guard await state.beginSummary(session) else {
            return Self.json(["status": "already running", "session_id": .string(session)], status: .accepted)
        }
        // Answer at once: the stop hook must not wait for the model.
        let engine = engine, state = state
        Task {
            do {
                try await engine.finishSession(session)
            } catch {
                engine.logger.error("worker: summary of \(session) failed: \(error)")
            }
            await state.endSummary(session)
            await state.touch()
        }
        return Self.json(["status": "accepted", "session_id": .string(session)], status: .accepted)
    }

    func process() async throws -> Response {
        await state.wake()
        let waiting = try await engine.queueCounts().waiting
        return Self.json(["status": "accepted", "waiting": .number(Double(waiting))], status: .accepted)
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    static func encoded<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: Array(try encoder.encode(value)))))
    }
}
