import Foundation

/// Where token usage is kept so the daily budget survives restarts. The caller persists it
/// (engram's event_log); EngramAI only reads and appends.
package protocol UsageLedger: Sendable {
    /// Total input + output tokens recorded for `day` ("yyyy-MM-dd").
    func tokensUsed(on day: String) async throws -> Int
    /// Appends one call's usage.
    func record(_ usage: LLMUsage) async throws
}
