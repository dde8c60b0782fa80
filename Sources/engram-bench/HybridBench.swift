import EngramCore
import EngramDemo
import EngramEmbeddings
import EngramRuntime
import EngramSQLite
import Foundation

/// `engram-bench hybrid`: the product's hybrid search over N seeded records with vectors, beside LanceDB's hybrid
/// search (FTS + vector + RRF) over the same texts, vectors and query vectors, measured in the same run.
///
/// Vectors: embedding 100k texts with the real model would take longer than the benchmark itself, so each distinct
/// text *shape* (the record's text with digit runs masked) is embedded once with the model, from the first record of
/// that shape, the most frequent shapes first and at most `embedLimit` of them; every record gets its shape's vector
/// (or, past the limit, an embedded shape's picked by hash) plus seeded Gaussian jitter of norm 0.2 (cosine ≈ 0.98),
/// renormalised, so no two records share a vector. Query vectors are the model's own. Without a model, shape and
/// query vectors are seeded random unit vectors. The report says what share of records carry their own shape's vector.
struct HybridBench {
    struct Side: Codable {
        /// Writing the records and building what search needs (engram: rows + FTS triggers + vectors; peer: table + FTS index).
        var ingestMilliseconds: Double
        /// A fresh process: open the store, load what search holds in memory, answer the first query.
        var openMilliseconds: Double
        var indexLoadMilliseconds: Double?
        var firstQueryMilliseconds: Double
        var search: BenchStats
        var residentMBBefore: Double?
        var residentMB: Double?
        var indexMB: Double?
        /// engram only: float32 or int8 vector scores.
        var vectorScores: String?
    }

    struct Ratios: Codable {
        var p50: Double
        var p95: Double
        /// (open + index load + first query), peer over engram.
        var load: Double
        var residentMemory: Double?
    }

    struct SizeRun: Codable {
        var observations: Int
        /// FTS rows with a vector (observations plus session summaries).
        var records: Int
        var engram: Side
        var peer: Side?
        var peerVersion: String?
        /// peer / engram: above 1, engram is faster or smaller.
        var ratio: Ratios?
        /// Mean share of engram's top results that the peer also returned (same records, same vectors, different bm25).
        var overlapAtLimit: Double?
        /// Share of records whose vector is their own shape's embedding (the rest borrow one, past --embed-limit).
        var ownShapeShare: Double
    }

    /// Vectors per record shape, embedded once across sizes: up to `limit` shapes (0: all; the most frequent
    /// first) get the model's vector; a record of any other shape borrows one of those, picked by hash.
    struct ShapeVectors {
        var limit: Int
        var byShape: [String: [Float]] = [:]
        var embedded: [String] = []

        func vector(_ shape: String) -> [Float]? {
            if let v = byShape[shape] { return v }
            guard !embedded.isEmpty else { return nil }
            return byShape[embedded[Int(HybridBench.fnv(shape) % UInt64(embedded.count))]]
        }
    }

    struct Report: Codable {
        var machine: String
        var date: String
        var vectors: String
        var dimensions: Int
        var queries: Int
        var rounds: Int
        var limit: Int
        var pool: Int
        var queryEmbedding: BenchStats?
        var runs: [SizeRun]
        var peerNote: String?
        var budget: String

        var table: String {
            var lines = [
                "engram-bench hybrid — \(machine), \(date)",
                "vectors: \(vectors)",
                "\(queries) queries × \(rounds) rounds, top \(limit) from \(pool) candidates per list, project filter on both sides",
            ]
            func f(_ v: Double?) -> String { v.map { String(format: "%9.2f", $0) } ?? "        —" }
            for r in runs {
                lines.append("")
                lines.append("\(r.observations) observations (\(r.records) records with vectors)" + (r.peerVersion.map { " — LanceDB \($0)" } ?? ""))
                lines.append("                         engram      peer   peer/engram")
                let p = r.peer
                lines.append(
                    "  hybrid p50 ms       \(f(r.engram.search.p50)) \(f(p?.search.p50))   "
                        + (r.ratio.map { String(format: "%.2fx", $0.p50) } ?? "—"))
                lines.append(
                    "  hybrid p95 ms       \(f(r.engram.search.p95)) \(f(p?.search.p95))   "
                        + (r.ratio.map { String(format: "%.2fx", $0.p95) } ?? "—"))
                lines.append(
                    "  open+load+1st ms    \(f(r.engram.openMilliseconds + (r.engram.indexLoadMilliseconds ?? 0) + r.engram.firstQueryMilliseconds)) \(f(p.map { $0.openMilliseconds + $0.firstQueryMilliseconds }))   "
                        + (r.ratio.map { String(format: "%.2fx", $0.load) } ?? "—"))
                lines.append("    of which index load \(f(r.engram.indexLoadMilliseconds))")
                if let scores = r.engram.vectorScores { lines.append("  vector scores       \(scores)") }
                lines.append(
                    "  resident MB         \(f(r.engram.residentMB)) \(f(p?.residentMB))   "
                        + (r.ratio?.residentMemory.map { String(format: "%.2fx", $0) } ?? "—"))
                lines.append("    at process start  \(f(r.engram.residentMBBefore)) \(f(p?.residentMBBefore))")
                lines.append("  ingest ms           \(f(r.engram.ingestMilliseconds)) \(f(p?.ingestMilliseconds))")
                if let o = r.overlapAtLimit { lines.append(String(format: "  top-%d overlap with the peer: %.0f%%", limit, o * 100)) }
            }
            if let q = queryEmbedding {
                lines.append("")
                lines.append(
                    String(format: "query embedding with the local model (not in the figures above): p50 %.2f ms, p95 %.2f ms", q.p50, q.p95))
            }
            if let n = peerNote { lines.append("peer: \(n)") }
            lines.append("budget: \(budget). Both sides rank exactly (no ANN index); query vectors are precomputed on both sides.")
            return lines.joined(separator: "\n")
        }
    }

    let sizes: [Int]
    let modelDirectory: URL?
    let python: String
    let peerScript: String
    let rounds: Int
    /// Most record shapes to embed with the model (0: all of them).
    var embedLimit = 6_000
    let progress: Bool
    /// Leave each size's data dir and exchange files in place (printed), to profile the probe or the peer by hand.
    var keep = false
    let limit = 10

    static let queries = [
        "refresh token expired", "why did the billing tests fail", "rate limit cache", "hash_password",
        "DecodeError in the auth tests", "send email notifications", "paginate users endpoint", "where is compute_total defined",
        "flaky upload tests timing out", "invoice creation bug", "config parsing", "admin metrics report rendering",
        "validate_email", "retry policy for jobs", "IntegrityError when saving orders", "flush the sessions cache",
        "who calls apply_discount", "KeyError while loading settings", "new tests for authorize", "search pagination",
    ]

    func say(_ s: String) { if progress { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

    func run() throws -> Report {
        // A pip package keeps its weights in a folder called `model`: name the model after the package then.
        let encoder = try modelDirectory.map { dir in
            try BertEncoder(
                directory: dir, modelID: dir.lastPathComponent == "model" ? dir.deletingLastPathComponent().lastPathComponent : dir.lastPathComponent)
        }
        let modelID = encoder.map { "bench:" + $0.modelID } ?? "bench:synthetic"
        let dims = encoder?.dimensions ?? 384
        var queryVectors: [[Float]]
        var queryEmbedding: BenchStats?
        if let encoder {
            var ms: [Double] = []
            queryVectors = []
            for q in Self.queries {
                var v: [Float] = []
                ms.append(Stopwatch.ms { v = encoder.embedSync([q], kind: .query).first ?? [] })
                queryVectors.append(v)
            }
            for q in Self.queries { ms.append(Stopwatch.ms { _ = encoder.embedSync([q], kind: .query) }) }
            queryEmbedding = BenchStats(Array(ms.dropFirst(Self.queries.count)))
        } else {
            queryVectors = Self.queries.map { Self.randomUnit(seed: Self.fnv("query:" + $0), dims: dims) }
        }

        let pythonPath = HookBench.which(python, env: ProcessInfo.processInfo.environment)
        var peerNote: String?
        if pythonPath == nil {
            peerNote = "\(python) not found; engram only"
        } else if !FileManager.default.fileExists(atPath: peerScript) {
            peerNote = "peer script \(peerScript) not found (run from the repository root); engram only"
        } else if (try? EmbedBench.capture(python, ["-c", "import lancedb, pyarrow, numpy"])) == nil {
            peerNote = "lancedb does not import in \(python) (`pip install lancedb`); engram only"
        }

        var shapes = ShapeVectors(limit: encoder == nil ? 0 : embedLimit)
        var runs: [SizeRun] = []
        for n in sizes {
            runs.append(
                try measure(
                    observations: n, encoder: encoder, modelID: modelID, dims: dims, queryVectors: queryVectors,
                    shapes: &shapes, peer: peerNote == nil ? pythonPath : nil, peerNote: &peerNote))
        }
        let own = runs.map { String(format: "%.0f%%", $0.ownShapeShare * 100) }.joined(separator: ", ")
        let described =
            encoder.map { e in
                "\(e.modelID) embeddings of \(shapes.embedded.count) distinct record shapes (digits masked, the most frequent first), "
                    + "each record's vector its shape's (\(own) of records; the rest borrow an embedded shape's) plus seeded jitter (cosine ≈ 0.98); real query embeddings"
            }
            ?? "synthetic: seeded random unit vectors per record shape plus jitter, random query vectors (no model given: --model-dir or `engram model install`)"
        return Report(
            machine: HookBench.machine(), date: String(Timestamp.format(Date()).prefix(10)), vectors: described,
            dimensions: dims, queries: Self.queries.count, rounds: rounds, limit: limit, pool: Self.pool(limit),
            queryEmbedding: queryEmbedding, runs: runs, peerNote: peerNote, budget: "hybrid p50 ≤ 15 ms at 100k")
    }

    /// engram's hybrid pool per list (SearchService: max(limit × 3, 50)); the peer is asked for as many.
    static func pool(_ limit: Int) -> Int { max(limit * 3, 50) }

    private func measure(
        observations n: Int, encoder: BertEncoder?, modelID: String, dims: Int, queryVectors: [[Float]],
        shapes: inout ShapeVectors, peer pythonPath: String?, peerNote: inout String?
    ) throws -> SizeRun {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("engram-hybrid-\(UUID().uuidString)")
        defer { if keep { say("  kept \(root.path)") } else { try? FileManager.default.removeItem(at: root) } }
        let home = root.appendingPathComponent("home"), project = root.appendingPathComponent("project")
        let exchange = root.appendingPathComponent("exchange")
        for d in [project.appendingPathComponent(".git"), exchange] {
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        }
        var env = ProcessInfo.processInfo.environment
        env["ENGRAM_HOME"] = home.path
        env["ENGRAM_WORKER_AUTOSTART"] = "0"
        env.removeValue(forKey: "ENGRAM_DISABLED")
        let engram = try Engram.open(env: env)

        say("\(n) observations: seeding…")
        let seedMs = try Stopwatch.ms { try SyntheticCorpus().populate(engram.store, project: project.path, count: n) }
        let missing = try engram.stores.vectors.missing(model: modelID, kinds: Set(RecordKind.allCases), retryFailed: false, limit: Int.max)
        let indexKeys = try engram.stores.vectors.indexKeys(missing.map(\.key))
        let sources = missing.compactMap { s in indexKeys[s.key].map { Seed(key: s.key, text: s.text, indexKey: $0) } }

        // One vector per shape, embedded once across sizes, the most frequent shapes first.
        var count: [String: Int] = [:], firstText: [String: String] = [:], seen: [String] = []
        for s in sources {
            let shape = Self.shape(s.text)
            if count[shape] == nil { seen.append(shape); firstText[shape] = s.text }
            count[shape, default: 0] += 1
        }
        let room = shapes.limit == 0 ? Int.max : max(0, shapes.limit - shapes.embedded.count)
        let todo = seen.enumerated().filter { shapes.byShape[$0.element] == nil }
            .sorted { a, b in (count[a.element] ?? 0, -a.offset) > (count[b.element] ?? 0, -b.offset) }
            .prefix(room).map(\.element)
        if let encoder, !todo.isEmpty {
            say("  embedding \(todo.count) shapes with \(encoder.modelID)…")
            var done = 0
            while done < todo.count {
                let batch = Array(todo[done..<min(todo.count, done + 64)])
                let out = encoder.embedSync(batch.map { firstText[$0] ?? "" }, kind: .observation)
                for (shape, v) in zip(batch, out) { shapes.byShape[shape] = v; shapes.embedded.append(shape) }
                done += batch.count
                if done % 1024 < 64 { say("    \(done)/\(todo.count)") }
            }
        } else {
            for shape in todo {
                shapes.byShape[shape] = Self.randomUnit(seed: Self.fnv(shape), dims: dims)
                shapes.embedded.append(shape)
            }
        }
        let ownShare = Double(sources.filter { shapes.byShape[Self.shape($0.text)] != nil }.count) / Double(max(1, sources.count))
        var flat: [Float] = []
        flat.reserveCapacity(sources.count * dims)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(sources.count)
        for s in sources {
            let v = Self.jittered(shapes.vector(Self.shape(s.text)) ?? Self.randomUnit(seed: 1, dims: dims), seed: UInt64(s.indexKey))
            vectors.append(v)
            flat.append(contentsOf: v)
        }
        say("  storing \(sources.count) vectors…")
        let now = engram.now
        let saveMs = try Stopwatch.ms {
            var i = 0
            while i < sources.count {
                let end = min(sources.count, i + 5_000)
                try engram.stores.vectors.store((i..<end).map { .vector(sources[$0].key, vectors[$0]) }, model: modelID, now: now)
                i = end
            }
        }
        vectors = []

        // The exchange files: records in vector order, vectors as float32 little-endian, the workload.
        try writeRecords(engram, sources: sources, to: exchange.appendingPathComponent("records.jsonl"))
        try flat.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: exchange.appendingPathComponent("vectors.f32"))
        flat = []
        let workload = HybridProbe.Workload(
            project: project.path, limit: limit, pool: Self.pool(limit), rounds: rounds,
            queries: zip(Self.queries, queryVectors).map { .init(text: $0, vector: $1) })
        let workloadURL = exchange.appendingPathComponent("workload.json")
        try JSONEncoder().encode(workload).write(to: workloadURL)

        say("  engram: fresh process, hybrid search…")
        let probeOut = try Self.runChild(Stopwatch.selfPath, ["hybrid-probe", "--workload", workloadURL.path, "--model-id", modelID], env: env)
        let probe = try JSONDecoder().decode(HybridProbe.Result.self, from: Data(probeOut.utf8))
        let engramSide = Side(
            ingestMilliseconds: seedMs + saveMs, openMilliseconds: probe.openMilliseconds,
            indexLoadMilliseconds: probe.indexLoadMilliseconds, firstQueryMilliseconds: probe.firstQueryMilliseconds,
            search: BenchStats(probe.ms), residentMBBefore: probe.residentMBBefore, residentMB: probe.residentMB,
            indexMB: (probe.indexMB * 10).rounded() / 10, vectorScores: probe.vectorScores)
        var run = SizeRun(observations: n, records: sources.count, engram: engramSide, ownShapeShare: (ownShare * 100).rounded() / 100)

        if let pythonPath {
            say("  LanceDB: build, then a fresh process for search…")
            do {
                let built = try Self.decodeLastLine(try Self.runChild(pythonPath, [peerScript, "build", exchange.path], env: env))
                let queried = try Self.decodeLastLine(try Self.runChild(pythonPath, [peerScript, "query", exchange.path], env: env))
                let ms = (queried["ms"] as? [NSNumber] ?? []).map(\.doubleValue)
                let side = Side(
                    ingestMilliseconds: (built["ingestMilliseconds"] as? NSNumber)?.doubleValue ?? 0,
                    openMilliseconds: (queried["openMilliseconds"] as? NSNumber)?.doubleValue ?? 0,
                    indexLoadMilliseconds: nil,
                    firstQueryMilliseconds: (queried["firstQueryMilliseconds"] as? NSNumber)?.doubleValue ?? 0,
                    search: BenchStats(ms), residentMBBefore: (queried["residentMBBefore"] as? NSNumber)?.doubleValue,
                    residentMB: (queried["residentMB"] as? NSNumber)?.doubleValue, indexMB: nil)
                run.peer = side
                run.peerVersion = built["version"] as? String
                let e = engramSide
                func r(_ a: Double, _ b: Double) -> Double { ((a / max(b, 0.001)) * 100).rounded() / 100 }
                run.ratio = Ratios(
                    p50: r(side.search.p50, e.search.p50), p95: r(side.search.p95, e.search.p95),
                    load: r(
                        side.openMilliseconds + side.firstQueryMilliseconds,
                        e.openMilliseconds + (e.indexLoadMilliseconds ?? 0) + e.firstQueryMilliseconds),
                    residentMemory: side.residentMB.flatMap { p in e.residentMB.map { r(p, $0) } })
                let peerTop = (queried["top"] as? [[String]]) ?? []
                let overlaps = zip(probe.top, peerTop).map { a, b -> Double in
                    a.isEmpty ? (b.isEmpty ? 1 : 0) : Double(Set(a).intersection(b).count) / Double(a.count)
                }
                if !overlaps.isEmpty { run.overlapAtLimit = ((overlaps.reduce(0, +) / Double(overlaps.count)) * 100).rounded() / 100 }
            } catch {
                peerNote = "LanceDB peer failed: \(error.localizedDescription)"
            }
        }
        return run
    }

    /// A record to embed, with the index key the store gave it (the number LanceDB's copy is keyed by).
    struct Seed {
        var key: VectorKey
        var text: String
        var indexKey: Int64
    }

    /// The FTS columns of each record, in vector order, as JSON lines; `key` is what `engram search` calls it.
    private func writeRecords(_ engram: Engram, sources: [Seed], to url: URL) throws {
        struct Line: Encodable { var id: Int64; var key: String; var project: String; var title: String; var body: String; var files: String }
        let rows = try engram.store.keywordDocuments()
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let encoder = JSONEncoder()
        var buffer = Data()
        for s in sources {
            guard let r = rows[s.indexKey] else { continue }
            let key: String
            switch s.key.kind {
            case .observation: key = "#" + s.key.ref
            case .summary: key = "session:" + s.key.ref
            case .learning: key = "L" + s.key.ref
            case .memory: key = "M" + s.key.ref
            }
            buffer.append(try encoder.encode(Line(id: s.indexKey, key: key, project: r.project, title: r.title, body: r.body, files: r.files)))
            buffer.append(0x0A)
            if buffer.count > 1 << 20 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
        }
        try handle.write(contentsOf: buffer)
    }

    /// A record's text with digit runs masked: records of one shape differ only in counts and line numbers.
    static func shape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var inDigits = false
        for u in text.unicodeScalars {
            if u.properties.numericType != nil && u.isASCII {
                if !inDigits { out.append("0") }
                inDigits = true
            } else {
                out.append(u)
                inDigits = false
            }
        }
        return String(out)
    }

    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// Standard normal deviates (Box–Muller) from a seeded generator.
    static func gaussians(_ rng: inout SplitMix, count: Int) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(count + 1)
        while out.count < count {
            let u1 = max(Double(rng.next() >> 11) / Double(1 << 53), 1e-12), u2 = Double(rng.next() >> 11) / Double(1 << 53)
            let r = (-2 * log(u1)).squareRoot()
            out.append(Float(r * cos(2 * .pi * u2)))
            out.append(Float(r * sin(2 * .pi * u2)))
        }
        return Array(out.prefix(count))
    }

    static func normalized(_ v: [Float]) -> [Float] {
        var s: Float = 0
        for x in v { s = s + x * x }
        let n = s.squareRoot()
        return n > 0 ? v.map { $0 / n } : v
    }

    static func randomUnit(seed: UInt64, dims: Int) -> [Float] {
        var rng = SplitMix(seed: seed)
        return normalized(gaussians(&rng, count: dims))
    }

    /// `base` (unit) plus Gaussian noise of expected norm 0.2, renormalised.
    static func jittered(_ base: [Float], seed: UInt64) -> [Float] {
        var rng = SplitMix(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 17)
        let noise = gaussians(&rng, count: base.count)
        let sigma = 0.2 / Float(base.count).squareRoot()
        return normalized(zip(base, noise).map { $0 + sigma * $1 })
    }

    struct ChildFailed: LocalizedError {
        var command: String
        var status: Int32
        var stderr: String
        var errorDescription: String? { "\(command) exited \(status): \(stderr.suffix(600))" }
    }

    static func runChild(_ exe: String, _ args: [String], env: [String: String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Drain stderr beside stdout so a chatty child cannot fill its pipe and stall.
        let errData = ErrCollector(err.fileHandleForReading)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw ChildFailed(
                command: ([URL(fileURLWithPath: exe).lastPathComponent] + args.prefix(2)).joined(separator: " "),
                status: p.terminationStatus, stderr: errData.text())
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeLastLine(_ out: String) throws -> [String: Any] {
        guard let line = out.split(separator: "\n").last,
            let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw ChildFailed(command: "peer", status: 0, stderr: "no JSON line in its output")
        }
        return obj
    }
}

/// Reads a pipe to its end on a background thread.
final class ErrCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let d = handle.readDataToEndOfFile()
            lock.lock(); data = d; lock.unlock()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
