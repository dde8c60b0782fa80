import EngramModel
import GRDB

/// Saved memories in the `memories` table, keyword-searched through `memories_fts` (bm25, kept by triggers).
package struct SQLiteMemoryStore: MemoryStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func insert(_ m: NewMemory) throws -> Memory {
        let metadata = m.metadata.serialized()
        let tags = JSONList.encode(m.tags)
        let id = try writer.write { db -> Int64 in
            try db.execute(
                sql: "INSERT INTO memories(project, created_at, content, tags, metadata, source) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [m.project, m.createdAt, m.content, tags, metadata, m.source])
            return db.lastInsertedRowID
        }
        return Memory(
            id: "M\(id)", project: m.project, createdAt: m.createdAt, content: m.content, tags: m.tags,
            metadata: (try? JSONValue.parse(metadata)) ?? .object([:]), source: m.source)
    }

    package func memories(numbers: [Int64]) throws -> [Memory] {
        try writer.read { db in
            try numbers.compactMap { id in
                try Row.fetchOne(db, sql: "SELECT *, NULL AS score FROM memories WHERE id = ?", arguments: [id]).map(Self.memory)
            }
        }
    }

    package func recent(project: String?, tags: [String], limit: Int) throws -> [Memory] {
        var sql = "SELECT *, NULL AS score FROM memories"
        var args: [(any DatabaseValueConvertible)?] = []
        if let project { sql += " WHERE project = ? OR project IS NULL"; args.append(project) }
        sql += " ORDER BY id DESC"
        return try filtered(sql: sql, args, tags: tags, limit: limit)
    }

    package func search(_ query: KeywordQuery, match: KeywordQuery.Match, project: String?, tags: [String], limit: Int) throws -> [Memory] {
        guard !query.terms.isEmpty else { return [] }
        var sql = """
            SELECT m.*, -bm25(memories_fts) AS score FROM memories_fts JOIN memories m ON m.id = memories_fts.rowid
            WHERE memories_fts MATCH ?
            """
        var args: [(any DatabaseValueConvertible)?] = [FTS5Expression.match(query, match)]
        if let project { sql += " AND (m.project = ? OR m.project IS NULL)"; args.append(project) }
        sql += " ORDER BY bm25(memories_fts)"
        return try filtered(sql: sql, args, tags: tags, limit: limit)
    }

    package func numbers(project: String?, tags: [String], since: String?) throws -> Set<Int64> {
        var sql = "SELECT *, NULL AS score FROM memories"
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let project { conditions.append("(project = ? OR project IS NULL)"); args.append(project) }
        if let since { conditions.append("created_at >= ?"); args.append(since) }
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        let rows = try writer.read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.memory) }
        return Set(Self.filter(rows, tags: tags).compactMap(\.number))
    }

    /// Rows of `sql` (ordered, without a limit) that carry one of `tags`, the first `limit` of them. Tags are a JSON
    /// list in a column, so they are matched here, reading in pages until `limit` are found.
    private func filtered(sql: String, _ args: [(any DatabaseValueConvertible)?], tags: [String], limit: Int) throws -> [Memory] {
        let limit = max(0, limit)
        guard limit > 0 else { return [] }
        return try writer.read { db in
            guard !tags.isEmpty else {
                return try Row.fetchAll(db, sql: sql + " LIMIT ?", arguments: StatementArguments(args + [limit])).map(Self.memory)
            }
            var out: [Memory] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            while out.count < limit, let row = try rows.next() {
                let m = Self.memory(row)
                if !Self.filter([m], tags: tags).isEmpty { out.append(m) }
            }
            return out
        }
    }

    private static func filter(_ memories: [Memory], tags: [String]) -> [Memory] {
        guard !tags.isEmpty else { return memories }
        let wanted = Set(tags.map { $0.lowercased() })
        return memories.filter { !wanted.isDisjoint(with: $0.tags.map { $0.lowercased() }) }
    }

    private static func memory(_ row: Row) -> Memory {
        let id: Int64 = row["id"]
        return Memory(
            id: "M\(id)", project: row["project"], createdAt: row["created_at"], content: row["content"],
            tags: JSONList.decode(row["tags"]), metadata: (try? JSONValue.parse(row["metadata"] as String? ?? "{}")) ?? .object([:]),
            source: row["source"], score: row["score"])
    }
}
