import EngramCore
import EngramSQLite
import Foundation

/// Realistic-looking observations in bulk, for benchmarks, deterministic for a given seed.
///
/// It models a project the way a long-lived memory sees one: a few hundred files in packages,
/// a few thousand functions named from a shared vocabulary, popularity skewed (Zipf) so a few
/// files are touched all the time and most rarely, and sessions that each work on a handful
/// of files with the tool mix real sessions show (reads, edits, test runs, searches, writes).
/// Every observation has the compressor's shape: a short title, a summary, a detail block.
package struct SyntheticCorpus: Sendable {
    package var seed: UInt64

    package init(seed: UInt64 = 42) { self.seed = seed }

    static let packages = [
        "api", "auth", "billing", "core", "db", "jobs", "notifications", "reports", "search", "storage",
        "users", "web", "payments", "orders", "cache", "admin", "metrics", "config", "uploads", "sessions",
    ]
    static let moduleWords = [
        "service", "models", "views", "handlers", "client", "schema", "utils", "tasks", "routes",
        "serializers", "validators", "permissions", "queries", "events", "middleware", "adapters",
        "repository", "policies", "tokens", "limits", "exporter", "importer", "scheduler", "webhooks",
        "pricing", "ledger", "invoices", "refunds", "sessions", "cookies", "oauth", "passwords",
        "emails", "sms", "templates", "indexer", "ranking", "migrations", "backups", "storage",
    ]
    static let verbs = [
        "get", "create", "update", "delete", "list", "validate", "parse", "render", "send", "compute",
        "apply", "load", "save", "build", "fetch", "sync", "retry", "cancel", "refresh", "issue", "revoke",
        "verify", "hash", "encode", "decode", "serialize", "normalize", "merge", "split", "schedule",
        "enqueue", "flush", "paginate", "filter", "sort", "authorize", "authenticate", "charge", "notify",
        "export", "import", "migrate", "index", "rank", "resolve", "register", "track", "audit", "archive",
    ]
    static let nouns = [
        "user", "token", "session", "invoice", "payment", "order", "cart", "discount", "email", "password",
        "config", "settings", "cache", "job", "report", "chart", "account", "team", "role", "permission",
        "webhook", "event", "upload", "file", "image", "thumbnail", "query", "index", "result", "page",
        "cursor", "limit", "quota", "plan", "subscription", "customer", "address", "currency", "tax",
        "refund", "ledger", "entry", "batch", "schedule", "notification", "template", "message", "channel",
        "device", "profile", "avatar", "audit_log", "policy", "secret", "key", "signature", "certificate",
        "backup", "snapshot", "migration", "schema", "record", "metric", "counter", "histogram", "trace",
        "span", "request", "response", "header", "cookie", "redirect", "callback", "provider", "client",
        "adapter", "queue", "worker", "lock", "retry_policy", "timeout", "rate_limit", "feature_flag",
        "experiment", "variant", "segment", "filter", "facet", "suggestion", "ranking", "embedding",
    ]
    static let errors = [
        "DecodeError", "KeyError", "AssertionError", "TimeoutError", "IntegrityError", "ValueError",
        "TypeError", "AttributeError", "PermissionError", "ConnectionError", "ValidationError",
        "NotFoundError", "RateLimitError", "OperationalError", "JSONDecodeError", "IndexError",
        "RuntimeError", "FileNotFoundError", "ExpiredSignatureError", "InvalidTokenError",
    ]
    static let errorMessages = [
        "Signature verification failed", "expected 200, got 500", "column does not exist",
        "UNIQUE constraint failed", "connection refused", "missing required field",
        "unexpected keyword argument", "object has no attribute", "list index out of range",
        "timed out after 30s", "invalid literal for int()", "token has expired", "quota exceeded",
        "assert 3 == 2", "expected a dict, got None", "database is locked",
    ]
    static let shellCommands = [
        "git status", "git diff --stat", "ruff check .", "mypy app", "alembic upgrade head",
        "docker compose up -d db", "pip install -r requirements.txt", "make lint", "git log --oneline -5",
        "python manage.py migrate", "curl -s localhost:8000/health", "npm run build",
    ]

    /// One function of the modelled project.
    struct Function: Sendable { var name: String; var file: Int }

    /// The modelled project: its files and functions, popularity-ordered (index 0 is the hottest).
    struct Project: Sendable {
        var files: [String]
        var functionsByFile: [[String]]
        var fileZipf: Zipf

        init(rng: inout SplitMix) {
            var files: [String] = []
            var seen = Set<String>()
            for package in SyntheticCorpus.packages {
                let count = 8 + rng.next(20)
                for _ in 0..<count {
                    let word = SyntheticCorpus.moduleWords[rng.next(SyntheticCorpus.moduleWords.count)]
                    let path = "app/\(package)/\(word).py"
                    if seen.insert(path).inserted { files.append(path) }
                }
            }
            // Shuffle so popularity is not ordered by package.
            for i in stride(from: files.count - 1, to: 0, by: -1) { files.swapAt(i, rng.next(i + 1)) }
            var usedNames = Set<String>()
            functionsByFile = files.map { _ in
                var names: [String] = []
                for _ in 0..<(4 + rng.next(22)) {
                    let v = SyntheticCorpus.verbs[rng.next(SyntheticCorpus.verbs.count)]
                    let n = SyntheticCorpus.nouns[rng.next(SyntheticCorpus.nouns.count)]
                    var name = "\(v)_\(n)"
                    if !usedNames.insert(name).inserted { name += "_\(SyntheticCorpus.nouns[rng.next(SyntheticCorpus.nouns.count)])" }
                    usedNames.insert(name)
                    names.append(name)
                }
                return names
            }
            self.files = files
            fileZipf = Zipf(count: files.count, exponent: 1.05)
        }

        func package(of file: Int) -> String { files[file].split(separator: "/").dropFirst().first.map(String.init) ?? "app" }
        func module(of file: Int) -> String {
            (files[file].split(separator: "/").last.map(String.init) ?? "x.py").replacingOccurrences(of: ".py", with: "")
        }
    }

    /// Samples ranks 0..<count with probability ∝ 1/(rank+1)^exponent.
    struct Zipf: Sendable {
        var cumulative: [Double]
        init(count: Int, exponent: Double) {
            var total = 0.0
            cumulative = (0..<max(count, 1)).map { i in
                total += 1 / pow(Double(i + 1), exponent); return total
            }
        }
        func sample(_ rng: inout SplitMix) -> Int {
            let u = Double(rng.next() >> 11) / Double(1 << 53) * (cumulative.last ?? 1)
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// One generated observation.
    package struct Item: Sendable {
        package var sessionID: String
        package var tool: String
        package var title: String
        package var summary: String
        package var detail: String
        package var file: String
    }

    /// The corpus as values, in order: `count` observations across `sessions` sessions.
    package func items(count: Int, sessions: Int = 500) -> [Item] {
        var rng = SplitMix(seed: seed)
        let project = Project(rng: &rng)
        var out: [Item] = []
        out.reserveCapacity(count)
        var focus: [Int] = []
        var currentSession = -1
        for i in 0..<count {
            let s = i * sessions / max(count, 1)
            if s != currentSession {
                currentSession = s
                // Each session works on a handful of files, drawn by popularity.
                focus = (0..<(2 + rng.next(6))).map { _ in project.fileZipf.sample(&rng) }
            }
            // Mostly the session's own files; sometimes a look elsewhere.
            let file = rng.next(10) < 8 ? focus[rng.next(focus.count)] : project.fileZipf.sample(&rng)
            out.append(item(i, session: "bench-session-\(s)", file: file, project: project, rng: &rng))
        }
        return out
    }

    func item(_ i: Int, session: String, file: Int, project: Project, rng: inout SplitMix) -> Item {
        let path = project.files[file]
        let functions = project.functionsByFile[file]
        let fn = functions[rng.next(functions.count)]
        let other = functions[rng.next(functions.count)]
        let module = project.module(of: file), package = project.package(of: file)
        let test = "tests/\(package)/test_\(module).py"
        let error = Self.errors[rng.next(Self.errors.count)]
        let message = Self.errorMessages[rng.next(Self.errorMessages.count)]
        switch rng.next(20) {
        case 0..<6:
            let start = 1 + rng.next(400)
            let defs = Array(Set([fn, other, functions[rng.next(functions.count)]])).sorted()
            return Item(
                sessionID: session, tool: "Read", title: "Read \(path) (lines \(start)-\(start + 20 + rng.next(200)))",
                summary: "\(path) defines \(defs.joined(separator: ", ")) for \(package).",
                detail: defs.map { "def \($0)(…)" }.joined(separator: "\n"), file: path)
        case 6..<11:
            let verb = ["added", "changed", "fixed", "refactored", "renamed", "removed"][rng.next(6)]
            let plus = rng.next(40), minus = rng.next(20)
            return Item(
                sessionID: session, tool: "Edit", title: "Edited \(path): \(verb) \(fn)",
                summary: "Edited \(path) (+\(plus) −\(minus) lines): \(verb) \(fn); \(other) now calls it.",
                detail: "- def \(fn)(self):\n+ def \(fn)(self, *, \(Self.nouns[rng.next(Self.nouns.count)])=None):\n   return self.\(other)()",
                file: path)
        case 11..<15:
            let passed = 1 + rng.next(40)
            if rng.next(3) == 0 {
                return Item(
                    sessionID: session, tool: "Bash", title: "pytest \(test): \(passed) passed",
                    summary: "Ran pytest \(test): all \(passed) passed.", detail: "\(passed) passed in 0.\(rng.next(90) + 10)s", file: test)
            }
            let failed = 1 + rng.next(3)
            return Item(
                sessionID: session, tool: "Bash",
                title: "pytest \(test): \(failed) failed (test_\(fn), \(error)), \(passed) passed",
                summary: "Ran pytest \(test): \(failed) failed, \(passed) passed; test_\(fn) raised \(error): \(message).",
                detail: "FAILED \(test)::test_\(fn) - \(error): \(message)\n\(failed) failed, \(passed) passed", file: test)
        case 15..<17:
            let files = 1 + rng.next(12)
            return Item(
                sessionID: session, tool: "Grep", title: "Searched '\(fn)' in app/: \(files) files",
                summary: "'\(fn)' appears in \(path) and \(files - 1) other files, called from \(other).",
                detail: "\(path): def \(fn)\n\(path): self.\(fn)()", file: path)
        case 17:
            return Item(
                sessionID: session, tool: "Write", title: "Created \(test) (\(10 + rng.next(90)) lines)",
                summary: "New tests for \(fn) and \(other): happy path and the \(error) case.",
                detail: "def test_\(fn)():\ndef test_\(other)_raises_\(error.lowercased())():", file: test)
        default:
            let command = Self.shellCommands[rng.next(Self.shellCommands.count)]
            return Item(
                sessionID: session, tool: "Bash", title: "\(command): exit 0",
                summary: "Ran `\(command)` while working on \(package)/\(module): no errors.", detail: "", file: path)
        }
    }

    /// Queries a person would type into search over this corpus: function names of hot and cold
    /// files, error names, "package function" pairs, and a pytest failure.
    package func queries(count: Int = 10) -> [String] {
        var rng = SplitMix(seed: seed)
        let project = Project(rng: &rng)
        var pick = SplitMix(seed: seed ^ 0xA5A5_A5A5)
        var out: [String] = []
        for i in 0..<count {
            let file = i % 3 == 0 ? pick.next(min(10, project.files.count)) : project.fileZipf.sample(&pick)
            let functions = project.functionsByFile[file]
            let fn = functions[pick.next(functions.count)]
            switch i % 5 {
            case 0: out.append(fn.replacingOccurrences(of: "_", with: " "))
            case 1: out.append("\(project.package(of: file)) \(fn)")
            case 2: out.append("pytest \(Self.errors[pick.next(Self.errors.count)])")
            case 3: out.append(fn)
            default: out.append("\(project.module(of: file)) \(Self.nouns[pick.next(Self.nouns.count)])")
            }
        }
        return out
    }

    /// Inserts `count` observations across sessions of one project, in one transaction per 5,000 rows.
    package func populate(_ store: EngramStore, project: String, count: Int, sessions: Int = 500) throws {
        let all = items(count: count, sessions: sessions)
        let start = Date().addingTimeInterval(-Double(count) * 60)
        var rng = SplitMix(seed: seed &+ 1)
        var written = 0
        while written < count {
            let chunk = min(5_000, count - written)
            var newSessions: [SessionRecord] = []
            var observations: [ObservationRecord] = []
            observations.reserveCapacity(chunk)
            for i in written..<(written + chunk) {
                let item = all[i]
                let created = Timestamp.format(start.addingTimeInterval(Double(i) * 60))
                if i == 0 || all[i - 1].sessionID != item.sessionID {
                    newSessions.append(
                        SessionRecord(
                            id: item.sessionID, project: project, startedAt: created, updatedAt: created, status: "active",
                            summaryText: "Worked on \(item.file): \(item.title)."))
                }
                let tokens = TokenEstimator.estimate(item.title + " " + item.summary + " " + item.detail)
                observations.append(
                    ObservationRecord(
                        sessionId: item.sessionID, project: project, createdAt: created, hookType: "PostToolUse",
                        toolName: item.tool, title: item.title, summary: item.summary,
                        detail: item.detail.isEmpty ? nil : item.detail, filesTouched: JSONList.encode([item.file]),
                        rawSizeBytes: 500 + rng.next(20_000), compressedTokens: tokens, compressor: "heuristic"))
            }
            try store.load(sessions: newSessions, observations: observations)
            written += chunk
        }
    }
}

/// A small deterministic PRNG (SplitMix64), so seeded corpora are the same on every machine.
package struct SplitMix: RandomNumberGenerator, Sendable {
    var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    package mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
