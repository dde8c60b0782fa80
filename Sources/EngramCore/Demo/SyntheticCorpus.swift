import Foundation
import GRDB

/// Realistic-looking observations in bulk, for benchmarks: titles, summaries and files
/// drawn from the shapes real sessions produce, deterministic for a given seed.
public struct SyntheticCorpus: Sendable {
    public var seed: UInt64

    public init(seed: UInt64 = 42) { self.seed = seed }

    static let modules = ["auth", "billing", "users", "search", "orders", "payments", "cache", "api", "models", "workers",
                          "notifications", "reports", "sessions", "tokens", "uploads", "admin", "metrics", "config"]
    static let verbs = ["added", "changed", "removed", "renamed", "fixed", "refactored"]
    static let nouns = ["refresh_token", "validate_email", "create_invoice", "get_user", "retry_policy", "rate_limit",
                        "serialize", "parse_config", "send_email", "compute_total", "apply_discount", "hash_password",
                        "paginate", "authorize", "load_settings", "flush_cache", "enqueue_job", "render_report"]
    static let errors = ["DecodeError", "KeyError", "AssertionError", "TimeoutError", "IntegrityError", "ValueError"]

    /// Inserts `count` observations across sessions of one project, in one transaction per 5,000 rows.
    public func populate(_ store: EngramStore, project: String, count: Int, sessions: Int = 500) throws {
        var rng = SplitMix(seed: seed)
        let start = Date().addingTimeInterval(-Double(count) * 60)
        var written = 0
        while written < count {
            let chunk = min(5_000, count - written)
            try store.writer.write { db in
                let stmt = try db.makeStatement(sql: """
                    INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, detail,
                                              files_touched, raw_size_bytes, compressed_tokens, compressor)
                    VALUES (?, ?, ?, 'PostToolUse', ?, ?, ?, ?, ?, ?, ?, 'heuristic')
                    """)
                for i in written..<(written + chunk) {
                    let sid = "bench-session-\(i * sessions / max(count, 1))"
                    if i == 0 || (i * sessions / max(count, 1)) != ((i - 1) * sessions / max(count, 1)) {
                        try db.execute(sql: "INSERT OR IGNORE INTO sessions (id, project, started_at, updated_at, summary_text) VALUES (?, ?, ?, ?, ?)",
                                       arguments: [sid, project, Timestamp.format(start.addingTimeInterval(Double(i) * 60)),
                                                   Timestamp.format(start.addingTimeInterval(Double(i) * 60)),
                                                   "Worked on \(Self.modules[rng.next(Self.modules.count)]) and \(Self.nouns[rng.next(Self.nouns.count)])."])
                    }
                    let module = Self.modules[rng.next(Self.modules.count)]
                    let noun = Self.nouns[rng.next(Self.nouns.count)]
                    let file = "app/\(module)/\(noun.split(separator: "_").first ?? "core").py"
                    let (tool, title, summary): (String, String, String)
                    switch rng.next(5) {
                    case 0:
                        tool = "Edit"
                        title = "Edited \(file): \(Self.verbs[rng.next(Self.verbs.count)]) \(noun)"
                        summary = "Changed \(noun) in \(file) (+\(rng.next(40)) −\(rng.next(20)) lines) while working on \(module)."
                    case 1:
                        tool = "Bash"
                        let failed = rng.next(3)
                        title = "pytest tests/test_\(module).py: " + (failed > 0 ? "\(failed) failed (test_\(noun), \(Self.errors[rng.next(Self.errors.count)])), " : "") + "\(rng.next(30) + 1) passed"
                        summary = "Ran the \(module) tests; " + (failed > 0 ? "test_\(noun) fails." : "all green.")
                    case 2:
                        tool = "Read"
                        title = "Read \(file) (lines 1-\(rng.next(300) + 20))"
                        summary = "Defines \(noun), \(Self.nouns[rng.next(Self.nouns.count)]) and helpers for \(module)."
                    case 3:
                        tool = "Grep"
                        title = "Searched '\(noun)' in app/: \(rng.next(9) + 1) files"
                        summary = "Found \(noun) used in \(module) and \(Self.modules[rng.next(Self.modules.count)])."
                    default:
                        tool = "Write"
                        title = "Created tests/test_\(module)_\(noun).py (\(rng.next(90) + 10) lines)"
                        summary = "New tests for \(noun): happy path and \(Self.errors[rng.next(Self.errors.count)]) case."
                    }
                    let created = Timestamp.format(start.addingTimeInterval(Double(i) * 60))
                    try stmt.execute(arguments: [sid, project, created, tool, title, summary, summary + " " + title,
                                                 JSONList.encode([file]), 500 + rng.next(20_000), 60 + rng.next(100)])
                }
            }
            written += chunk
        }
    }
}

/// A small deterministic PRNG (SplitMix64), so seeded corpora are the same on every machine.
public struct SplitMix: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
