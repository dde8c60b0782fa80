import EngramModel
import Foundation
import GRDB

/// The function library's tables in engram's SQLite database (migration `v3-functions`). Search is keyword-only:
/// FTS5 over name, signature, docstring, summary and source of latest versions, weighted towards the name.
package struct SQLiteFunctionLibraryStore: FunctionLibraryStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func latest(project: String, name: String) throws -> FunctionVersionRecord? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM functions WHERE project = ? AND name = ? AND is_latest = 1", arguments: [project, name])
                .map(Self.record)
        }
    }

    package func newest(project: String, name: String) throws -> FunctionVersionRecord? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM functions WHERE project = ? AND name = ? ORDER BY version DESC LIMIT 1",
                arguments: [project, name]
            ).map(Self.record)
        }
    }

    package func version(project: String, name: String, version: Int) throws -> FunctionVersionRecord? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM functions WHERE project = ? AND name = ? AND version = ?",
                arguments: [project, name, version]
            ).map(Self.record)
        }
    }

    package func versions(project: String, name: String) throws -> [FunctionVersionRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM functions WHERE project = ? AND name = ? ORDER BY version",
                arguments: [project, name]
            ).map(Self.record)
        }
    }

    package func names(project: String) throws -> Set<String> {
        try writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT name FROM functions WHERE project = ?", arguments: [project]))
        }
    }

    package func insert(_ record: FunctionVersionRecord) throws -> FunctionVersionRecord {
        try writer.write { db in
            var r = record
            let maxVersion =
                try Int.fetchOne(
                    db, sql: "SELECT max(version) FROM functions WHERE project = ? AND name = ?",
                    arguments: [r.project, r.name]) ?? 0
            r.version = maxVersion + 1
            if r.isLatest {
                try db.execute(
                    sql: "UPDATE functions SET is_latest = 0 WHERE project = ? AND name = ? AND is_latest = 1",
                    arguments: [r.project, r.name])
            }
            try db.execute(
                sql: """
                    INSERT INTO functions (project, name, version, signature, docstring, summary, source, body_hash, dependencies,
                      modules, complexity, risk_score, risk_findings, tests_json, tests_passed, tests_failed, status, is_latest,
                      created_at, author, restored_from)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    r.project, r.name, r.version, r.signature, r.docstring, r.summary, r.source, r.bodyHash,
                    Self.json(r.dependencies), Self.json(r.modules), r.complexity, r.riskScore, Self.json(r.riskFindings),
                    r.testsJSON, r.testsPassed, r.testsFailed, r.status, r.isLatest, r.createdAt, r.author, r.restoredFrom,
                ])
            return r
        }
    }

    package func delete(project: String, name: String) throws -> Int {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM function_runs WHERE project = ? AND name = ?", arguments: [project, name])
            try db.execute(sql: "DELETE FROM functions WHERE project = ? AND name = ?", arguments: [project, name])
            return db.changesCount
        }
    }

    package func search(project: String, query: String, limit: Int) throws -> [FunctionVersionRecord] {
        let words = query.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init)
        guard !words.isEmpty else { return [] }
        let match = words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"*" }.joined(separator: " ")
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.* FROM functions_fts JOIN functions f ON f.id = functions_fts.rowid
                    WHERE functions_fts MATCH ? AND f.project = ? AND f.is_latest = 1
                    ORDER BY bm25(functions_fts, 8.0, 4.0, 2.0, 2.0, 1.0) LIMIT ?
                    """, arguments: [match, project, limit]
            ).map(Self.record)
        }
    }

    package func record(run: FunctionRunRecord) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO function_runs (project, name, version, kind, arguments_hash, status, duration_ms, peak_memory_kb, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.project, run.name, run.version, run.kind, run.argumentsHash, run.status, run.durationMs,
                    run.peakMemoryKb, run.createdAt,
                ])
        }
    }

    package func runs(project: String, name: String) throws -> [FunctionRunRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM function_runs WHERE project = ? AND name = ? ORDER BY id", arguments: [project, name])
                .map { row in
                    FunctionRunRecord(
                        project: row["project"], name: row["name"], version: row["version"], kind: row["kind"],
                        argumentsHash: row["arguments_hash"], status: row["status"], durationMs: row["duration_ms"],
                        peakMemoryKb: row["peak_memory_kb"], createdAt: row["created_at"])
                }
        }
    }

    private static func json(_ list: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(list), as: UTF8.self)) ?? "[]"
    }

    private static func list(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }

    private static func record(_ row: Row) -> FunctionVersionRecord {
        FunctionVersionRecord(
            project: row["project"], name: row["name"], version: row["version"], signature: row["signature"],
            docstring: row["docstring"], summary: row["summary"], source: row["source"], bodyHash: row["body_hash"],
            dependencies: list(row["dependencies"]), modules: list(row["modules"]), complexity: row["complexity"],
            riskScore: row["risk_score"], riskFindings: list(row["risk_findings"]), testsJSON: row["tests_json"],
            testsPassed: row["tests_passed"], testsFailed: row["tests_failed"], status: row["status"],
            isLatest: row["is_latest"], createdAt: row["created_at"], author: row["author"], restoredFrom: row["restored_from"])
    }
}
