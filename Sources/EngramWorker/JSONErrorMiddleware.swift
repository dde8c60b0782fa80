import Foundation
internal import Hummingbird

/// Turns every error (unknown route, bad input, a failing handler) into `{"error": "..."}` with
/// the right status, and counts each request as activity for the idle timer.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let state: WorkerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        await state.touch()
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let message =
                error.body ?? (error.status == .notFound ? "no such endpoint: \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            return WorkerAPI.json(["error": .string(message)], status: error.status)
        } catch {
            let message = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
            return WorkerAPI.json(["error": .string(message)], status: .internalServerError)
        }
    }
}
