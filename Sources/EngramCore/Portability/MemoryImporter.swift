import Foundation
import GRDB

/// Reads an `engram-export` JSONL file back into a store. Every line is checked before
/// anything is written, and everything is written in one transaction: a bad line leaves
/// the store untouched. Rows already present (same identity) are skipped, so importing
/// the same file twice adds nothing.
public struct MemoryImporter: Sendable {
    let store: EngramStore

    public init(store: EngramStore) { self.store = store }

    /// What an import did, per record type.
    public struct Summary: Sendable, Equatable {
        public var inserted: [String: Int] = [:]
        public var skipped: [String: Int] = [:]
        public var totalInserted: Int { inserted.values.reduce(0, +) }
        public var totalSkipped: Int { skipped.values.reduce(0, +) }
    }

    struct Record {
        var line: Int
        var type: ExportFormat.RecordType
        var values: [String: DatabaseValue]
    }

    /// Checks the whole file and returns its records; throws on the first bad line.
    func parse(_ data: Data) throws -> [Record] {
        var lines: [(Int, Data)] = []
        var start = data.startIndex
        var number = 0
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            number += 1
            var line = data[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            lines.append((number, Data(line)))
            start = end < data.endIndex ? data.index(after: end) : end
        }
        let content = lines.filter { !$0.1.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        guard let first = content.first else { throw PortabilityError.emptyFile }
        guard first.0 == 1 else { throw PortabilityError.badHeader("the file starts with a blank line") }
        let counts = try header(first.1)

        var records: [Record] = []
        records.reserveCapacity(content.count)
        for (n, bytes) in content.dropFirst() {
            records.append(try record(bytes, line: n))
        }
        if let counts {
            for t in ExportFormat.types {
                let found = records.lazy.filter { $0.type.type == t.type }.count
                if let expected = counts[t.type], expected != found {
                    throw PortabilityError.countMismatch(t.type, expected: expected, found: found)
                }
            }
        }
        return records
    }

    /// Validates the header; returns the promised counts when the header has them.
    func header(_ bytes: Data) throws -> [String: Int]? {
        guard String(data: bytes, encoding: .utf8) != nil, let v = Self.json(bytes), let obj = v.objectValue else {
            throw PortabilityError.badHeader("not a JSON object")
        }
        guard obj["format"]?.stringValue == ExportFormat.name else {
            throw PortabilityError.badHeader("\"format\" is not \"\(ExportFormat.name)\"")
        }
        guard let version = obj["version"]?.intValue else { throw PortabilityError.badHeader("no integer \"version\"") }
        guard version == ExportFormat.version else { throw PortabilityError.unsupportedVersion(version) }
        guard let countsValue = obj["counts"], !countsValue.isNull else { return nil }
        guard let countsObj = countsValue.objectValue else { throw PortabilityError.badHeader("\"counts\" is not an object") }
        var counts: [String: Int] = [:]
        for (k, v) in countsObj {
            guard let n = v.intValue, n >= 0 else { throw PortabilityError.badHeader("count of \(k) is not a whole number") }
            counts[k] = n
        }
        return counts
    }

    func record(_ bytes: Data, line n: Int) throws -> Record {
        guard String(data: bytes, encoding: .utf8) != nil else { throw PortabilityError.badLine(n, "not valid UTF-8") }
        guard let v = Self.json(bytes) else { throw PortabilityError.badLine(n, "not valid JSON") }
        guard let obj = v.objectValue else { throw PortabilityError.badLine(n, "not a JSON object") }
        guard let typeName = obj["type"]?.stringValue else { throw PortabilityError.badLine(n, "no \"type\" field") }
        guard let type = ExportFormat.recordType(named: typeName) else {
            throw PortabilityError.badLine(n, "unknown type \"\(typeName)\" (expected one of \(ExportFormat.typeNames.joined(separator: ", ")))")
        }
        let known = Set(type.columns.map(\.name) + ["type"])
        if let extra = obj.keys.sorted().first(where: { !known.contains($0) }) {
            throw PortabilityError.badLine(n, "unknown field \"\(extra)\" in a \(typeName) record")
        }
        var values: [String: DatabaseValue] = [:]
        for col in type.columns {
            guard let value = obj[col.name] else { throw PortabilityError.badLine(n, "\(typeName) record has no \"\(col.name)\"") }
            values[col.name] = try Self.databaseValue(value, col, type: typeName, line: n)
        }
        return Record(line: n, type: type, values: values)
    }

    /// Parses one line. JSONDecoder rather than JSONSerialization: on Linux the latter rounds some
    /// doubles (0.30000000000000004 comes back as 0.3000000000000001), which would break the exact round trip.
    static func json(_ bytes: Data) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: bytes)
    }

    static func databaseValue(_ value: JSONValue, _ col: ExportFormat.Column, type: String, line n: Int) throws -> DatabaseValue {
        func bad(_ expected: String) -> PortabilityError {
            PortabilityError.badLine(n, "\"\(col.name)\" of a \(type) record must be \(expected)\(col.nullable ? " or null" : "")")
        }
        if value.isNull {
            guard col.nullable else { throw bad(description(col.kind)) }
            return .null
        }
        switch col.kind {
        case .text:
            guard let s = value.stringValue else { throw bad("a string") }
            return s.databaseValue
        case .int:
            guard case .number(let d) = value, d.isFinite, d == d.rounded(), abs(d) < 9_007_199_254_740_992 else { throw bad("a whole number") }
            return Int64(d).databaseValue
        case .real:
            guard case .number(let d) = value, d.isFinite else { throw bad("a number") }
            return d.databaseValue
        case .bool:
            guard case .bool(let b) = value else { throw bad("true or false") }
            return (b ? 1 : 0).databaseValue
        case .json:
            switch value {
            case .array, .object: return value.serialized().databaseValue
            case .string(let s): return s.databaseValue
            default: throw bad("a JSON array")
            }
        }
    }

    static func description(_ kind: ExportFormat.Kind) -> String {
        switch kind {
        case .text: return "a string"
        case .int: return "a whole number"
        case .real: return "a number"
        case .bool: return "true or false"
        case .json: return "a JSON array"
        }
    }

    /// Checks the file, then imports it in one transaction. `progress` gets (records done, records in total).
    @discardableResult
    public func importData(_ data: Data, progress: (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        let records = try parse(data)
        let ordered = ExportFormat.types.flatMap { t in records.filter { $0.type.type == t.type } }
        return try store.writer.write { db in
            // Session references are checked against the file and the store before the first insert.
            let fileSessions = Set(records.filter { $0.type.type == "session" }.compactMap { String.fromDatabaseValue($0.values["id"] ?? .null) })
            var known: [String: Bool] = [:]
            for r in records {
                guard let refColumn = r.type.sessionReference, let ref = String.fromDatabaseValue(r.values[refColumn] ?? .null),
                      !fileSessions.contains(ref) else { continue }
                let exists: Bool
                if let k = known[ref] { exists = k } else {
                    exists = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM sessions WHERE id = ?)", arguments: [ref]) ?? false
                    known[ref] = exists
                }
                if !exists {
                    throw PortabilityError.badLine(r.line, "\(r.type.type) refers to session \"\(ref)\", which is neither in the file nor in this data directory")
                }
            }
            var summary = Summary()
            progress(0, ordered.count)
            for (i, r) in ordered.enumerated() {
                if try Self.exists(r, db) {
                    summary.skipped[r.type.type, default: 0] += 1
                } else {
                    try Self.insert(r, db)
                    summary.inserted[r.type.type, default: 0] += 1
                }
                if (i + 1) % 256 == 0 || i + 1 == ordered.count { progress(i + 1, ordered.count) }
            }
            return summary
        }
    }

    static func exists(_ r: Record, _ db: Database) throws -> Bool {
        let whereSQL = r.type.identity.map { "\($0) IS ?" }.joined(separator: " AND ")
        let args = StatementArguments(r.type.identity.map { r.values[$0] ?? .null })
        return try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \(r.type.table) WHERE \(whereSQL))", arguments: args) ?? false
    }

    static func insert(_ r: Record, _ db: Database) throws {
        var columns = r.type.columns.map(\.name)
        if r.type.hasIntegerID, let id = r.values["id"],
           try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \(r.type.table) WHERE id = ?)", arguments: [id]) ?? false {
            // The id is taken by a different row: keep the row, let SQLite give it a new id.
            columns.removeAll { $0 == "id" }
        }
        let sql = "INSERT INTO \(r.type.table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        try db.execute(sql: sql, arguments: StatementArguments(columns.map { r.values[$0] ?? .null }))
    }
}
