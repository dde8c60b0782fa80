import Foundation
import GRDB
import EngramSQLite

/// Writes a data directory's memory (or one project's) as `engram-export` JSONL.
/// Output is deterministic: rows in a fixed order, object keys sorted, no export time,
/// so exporting the same data twice gives the same bytes.
public struct MemoryExporter: Sendable {
    let store: EngramStore

    public init(store: EngramStore) { self.store = store }

    /// Streams the export line by line (each line ends with "\n") and returns the count per record type.
    /// `progress` gets (rows written, rows in total).
    @discardableResult
    public func export(project: String?, progress: (Int, Int) -> Void = { _, _ in },
                       write: (String) throws -> Void) throws -> [String: Int] {
        try store.writer.read { db in
            var counts: [String: Int] = [:]
            for t in ExportFormat.types {
                let (sql, args) = Self.query(t, project: project, select: "COUNT(*)")
                counts[t.type] = try Int.fetchOne(db, sql: sql, arguments: args) ?? 0
            }
            let header: JSONValue = [
                "format": .string(ExportFormat.name), "version": .number(Double(ExportFormat.version)),
                "project": project.map(JSONValue.string) ?? .null,
                "counts": .object(counts.mapValues { .number(Double($0)) }),
            ]
            try write(header.serialized() + "\n")
            let total = counts.values.reduce(0, +)
            var done = 0
            progress(0, total)
            for t in ExportFormat.types {
                let (sql, args) = Self.query(t, project: project, select: t.columns.map(\.name).joined(separator: ", "))
                let rows = try Row.fetchCursor(db, sql: sql, arguments: args)
                while let row = try rows.next() {
                    var obj: [String: JSONValue] = ["type": .string(t.type)]
                    // By position: the SELECT lists the columns in spec order.
                    for (col, dbValue) in zip(t.columns, row.databaseValues) { obj[col.name] = Self.value(dbValue, col) }
                    try write(JSONValue.object(obj).serialized() + "\n")
                    done += 1
                    if done % 256 == 0 || done == total { progress(done, total) }
                }
            }
            return counts
        }
    }

    /// The export as one string (tests, small stores).
    public func exportString(project: String?) throws -> String {
        var out = ""
        try export(project: project) { out += $0 }
        return out
    }

    static func query(_ t: ExportFormat.RecordType, project: String?, select: String) -> (String, StatementArguments) {
        let order = t.hasIntegerID ? "id" : "started_at, id"
        let isCount = select == "COUNT(*)"
        let suffix = isCount ? "" : " ORDER BY \(order)"
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

    static func value(_ dbValue: DatabaseValue, _ col: ExportFormat.Column) -> JSONValue {
        switch dbValue.storage {
        case .null: return .null
        case .int64(let i):
            switch col.kind {
            case .bool: return .bool(i != 0)
            case .text, .json: return .string(String(i))
            default: return .number(Double(i))
            }
        case .double(let d):
            return col.kind == .text || col.kind == .json ? .string(String(d)) : .number(d)
        case .string(let s):
            if col.kind == .json, let v = MemoryImporter.json(Data(s.utf8)) {
                switch v {
                case .array, .object: return v
                default: return .string(s)
                }
            }
            if col.kind == .int, let i = Int64(s) { return .number(Double(i)) }
            if col.kind == .real, let d = Double(s) { return .number(d) }
            return .string(s)
        case .blob(let data):
            return .string(String(decoding: data, as: UTF8.self))
        }
    }
}
