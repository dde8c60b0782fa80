import EngramModel
import Foundation
import GRDB

/// Export and import over the tables `ExportFormat` names: an export is one read transaction (one snapshot, rows
/// streamed by cursor), an import one write transaction with foreign keys checked at commit (a row may come before
/// its session).
package struct SQLitePortabilityStore: PortabilityStore {
    let writer: any DatabaseWriter

    package init(_ store: EngramStore) { writer = store.writer }

    package func export(project: String?, counts: ([String: Int]) throws -> Void, row: (ExportRow) throws -> Void) throws {
        try writer.read { db in
            var found: [String: Int] = [:]
            for t in ExportFormat.types {
                let (sql, args) = Self.query(t, project: project, select: "COUNT(*)")
                found[t.type] = try Int.fetchOne(db, sql: sql, arguments: args) ?? 0
            }
            try counts(found)
            for t in ExportFormat.types {
                let (sql, args) = Self.query(t, project: project, select: t.columns.map(\.name).joined(separator: ", "))
                let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
                while let r = try rows.next() {
                    var values: [String: ColumnValue] = [:]
                    // By position: the SELECT lists the columns in the format's order.
                    for (col, dbValue) in zip(t.columns, r.databaseValues) { values[col.name] = Self.columnValue(dbValue) }
                    try row(ExportRow(type: t.type, values: values))
                }
            }
        }
    }

    package func importRows(sessions: Set<String>, check: (_ missing: Set<String>) throws -> Void, next: () throws -> ExportRow?) throws
        -> ImportTally
    {
        try writer.write { db in
            var missing = Set<String>()
            for id in sessions where !(try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM sessions WHERE id = ?)", arguments: [id]) ?? false) {
                missing.insert(id)
            }
            try check(missing)
            // Rows are written in the caller's order; a row may come before its session, so keys are checked at commit.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            var tally = ImportTally()
            var seen = IdentityCache()
            while let row = try next() {
                guard let type = ExportFormat.recordType(named: row.type) else {
                    throw EngramError.invalidArgument("unknown record type \(row.type)")
                }
                let values = type.columns.map { Self.databaseValue(row.values[$0.name] ?? .null) }
                if try seen.contains(type, values, db) {
                    tally.skipped[type.type, default: 0] += 1
                } else {
                    try Self.insert(type, values, db)
                    seen.add(type, values)
                    tally.inserted[type.type, default: 0] += 1
                }
            }
            return tally
        }
    }

    static func query(_ t: ExportFormat.RecordType, project: String?, select: String) -> (String, StatementArguments) {
        let order = t.hasIntegerID ? "id" : "started_at, id"
        let suffix = select == "COUNT(*)" ? "" : " ORDER BY \(order)"
        guard let project else { return ("SELECT \(select) FROM \(t.table)\(suffix)", []) }
        let filter: String
        switch t.type {
        case "prompt": filter = "session_id IN (SELECT id FROM sessions WHERE project = ?)"
        // Global learnings (no project) apply to every project, so a project's export carries them.
        case "learning": filter = "(project = ? OR project IS NULL)"
        default: filter = "project = ?"
        }
        return ("SELECT \(select) FROM \(t.table) WHERE \(filter)\(suffix)", [project])
    }

    static func columnValue(_ v: DatabaseValue) -> ColumnValue {
        switch v.storage {
        case .null: return .null
        case .int64(let i): return .integer(i)
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .blob(let b): return .blob(b)
        }
    }

    static func databaseValue(_ v: ColumnValue) -> DatabaseValue {
        switch v {
        case .null: return .null
        case .integer(let i): return i.databaseValue
        case .real(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return b.databaseValue
        }
    }

    /// Identities already stored (and inserted by this import), loaded once per partition (a session's prompts, a
    /// project's learnings) and hashed: the per-row EXISTS it replaces scanned the whole partition, which made
    /// importing one long session quadratic.
    struct IdentityCache {
        private var partitions: [String: [DatabaseValue: Set<[DatabaseValue]>]] = [:]

        mutating func contains(_ t: ExportFormat.RecordType, _ values: [DatabaseValue], _ db: Database) throws -> Bool {
            let key = Self.partitionKey(t, values)
            if partitions[t.type]?[key] == nil {
                let cols = t.identity.joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: "SELECT \(cols) FROM \(t.table) WHERE \(t.identity[0]) IS ?", arguments: [key])
                partitions[t.type, default: [:]][key] = Set(rows.map { Array($0.databaseValues) })
            }
            return partitions[t.type]![key]!.contains(Self.identity(t, values))
        }

        mutating func add(_ t: ExportFormat.RecordType, _ values: [DatabaseValue]) {
            partitions[t.type, default: [:]][Self.partitionKey(t, values), default: []].insert(Self.identity(t, values))
        }

        static func identity(_ t: ExportFormat.RecordType, _ values: [DatabaseValue]) -> [DatabaseValue] {
            t.identity.map { name in t.columns.firstIndex { $0.name == name }.map { values[$0] } ?? .null }
        }

        static func partitionKey(_ t: ExportFormat.RecordType, _ values: [DatabaseValue]) -> DatabaseValue {
            identity(t, values)[0]
        }
    }

    static func insert(_ t: ExportFormat.RecordType, _ values: [DatabaseValue], _ db: Database) throws {
        var columns = Array(zip(t.columns.map(\.name), values))
        if t.hasIntegerID, let id = columns.first(where: { $0.0 == "id" })?.1,
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \(t.table) WHERE id = ?)", arguments: [id]) ?? false
        {
            // The id is taken by a different row: keep the row, let SQLite give it a new id.
            columns.removeAll { $0.0 == "id" }
        }
        let sql = "INSERT INTO \(t.table) (\(columns.map(\.0).joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        try db.execute(sql: sql, arguments: StatementArguments(columns.map(\.1)))
    }
}
