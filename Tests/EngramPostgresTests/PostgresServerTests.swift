import EngramTestSupport
import Foundation
import Testing

/// The throwaway PostgreSQL + pgvector cluster the PostgreSQL store's tests stand on: it starts, pgvector answers
/// through an HNSW index, clusters are independent, TCP takes the password and only the password, and stop() leaves
/// nothing behind.
@Suite(.enabled(if: PostgresServer.skipReason == nil, "\(PostgresServer.skipReason ?? "")"))
struct PostgresServerTests {
    @Test func nearestNeighboursComeBackInDistanceOrderThroughTheHNSWIndex() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        #expect(try server.psql("SELECT extversion FROM pg_extension WHERE extname = 'vector'").split(separator: ".").count == 3)

        // Points on a twisted curve: distinct distances to the query, so the expected order has no ties.
        let points: [[Double]] = (0..<40).map { i in
            let t = Double(i) * 0.37
            return [sin(t) * 2, cos(t * 1.3) * 2, t / 10]
        }
        let literal = { (v: [Double]) in "[" + v.map { String(format: "%.4f", $0) }.joined(separator: ",") + "]" }
        let query = [0.3, -1.1, 1.2]
        let rows = points.enumerated().map { "(\($0.offset), '\(literal($0.element))')" }.joined(separator: ", ")
        try server.psql(
            """
            CREATE TABLE items (id int PRIMARY KEY, embedding vector(3) NOT NULL);
            INSERT INTO items VALUES \(rows);
            CREATE INDEX items_embedding_hnsw ON items USING hnsw (embedding vector_l2_ops);
            """)

        let rounded = points.map { $0.map { (($0 * 10_000).rounded()) / 10_000 } }
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }
        let expected = rounded.indices.sorted { distance(rounded[$0], query) < distance(rounded[$1], query) }.prefix(5).map(String.init)

        // Sequential scans off so the planner must use the index; ef_search above the row count makes HNSW exact here.
        let select = "SELECT id FROM items ORDER BY embedding <-> '\(literal(query))' LIMIT 5"
        let settings = "SET enable_seqscan = off; SET hnsw.ef_search = 100;"
        let plan = try server.psql("\(settings) EXPLAIN (COSTS OFF) \(select);")
        #expect(plan.contains("Index Scan using items_embedding_hnsw"), "\(plan)")
        let ids = try server.psql("\(settings) \(select);").split(separator: "\n").map(String.init)
        #expect(ids == Array(expected))
    }

    @Test func twoClustersRunAtOnceWithoutSeeingEachOther() throws {
        let a = try PostgresServer(), b = try PostgresServer()
        defer { a.stop(); b.stop() }
        #expect(a.port != b.port)
        #expect(a.socketDirectory != b.socketDirectory)
        try a.psql("CREATE TABLE only_in_a (v vector(3)); INSERT INTO only_in_a VALUES ('[1,2,3]');")
        #expect(try a.psql("SELECT count(*) FROM only_in_a") == "1")
        #expect(try b.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'") == "0")

        a.stop()
        #expect(!a.isRunning)
        let error = #expect(throws: PostgresServer.Error.self) { try a.psql("SELECT 1") }
        #expect(error?.errorDescription?.contains("stopped") == true)
        #expect(try b.psql("SELECT '[1,1]'::vector <-> '[4,5]'") == "5")
    }

    @Test func tcpTakesTheRightPasswordAndRefusesAWrongOne() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let psql = server.installation.bin.appendingPathComponent("psql")
        let cwd = URL(fileURLWithPath: NSTemporaryDirectory())
        let right = try EngramProcess.run(
            ["-X", "-At", "-d", server.url(), "-c", "SELECT current_database()"],
            env: [:], cwd: cwd, executable: psql)
        #expect(right.status == 0, "\(right.stderr)")
        #expect(right.stdout == "engram\n")

        let wrong = server.url().replacingOccurrences(of: ":\(server.password)@", with: ":not-the-password@")
        let refused = try EngramProcess.run(["-X", "-At", "-d", wrong, "-c", "SELECT 1"], env: [:], cwd: cwd, executable: psql)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("password authentication failed"), "\(refused.stderr)")
    }

    /// engram's store sets the process's umask to 077, so in a full test run every directory this process creates is
    /// its own alone; the server's unprivileged account must still reach what was staged for it.
    @Test func startsUnderTheUmaskEngramSets() throws {
        umask(0o077) // left as engram leaves it: EngramPaths sets it process-wide, and other suites run beside this one
        let server = try PostgresServer()
        defer { server.stop() }
        #expect(try server.psql("SELECT '[3,4]'::vector <-> '[0,0]'") == "5")
    }

    @Test func stopEndsTheServerAndRemovesItsFiles() throws {
        let server = try PostgresServer(database: "scratch")
        #expect(server.isRunning)
        #expect(try server.psql("SELECT current_database()") == "scratch")
        let directory = server.socketDirectory.deletingLastPathComponent()
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/PG_VERSION").path))
        server.stop()
        #expect(!server.isRunning)
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        server.stop()
    }
}
