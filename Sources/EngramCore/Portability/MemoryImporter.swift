import Foundation

/// Reads an `engram-export` JSONL file back into a store. Every line is checked before
/// anything is written, and everything is written in one transaction: a bad line leaves
/// the store untouched. Rows already present (same identity) are skipped, so importing
/// the same file twice adds nothing.
public struct MemoryImporter: Sendable {
    let store: any PortabilityStore

    public init(store: any PortabilityStore) { self.store = store }

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
        var values: [String: ColumnValue]
    }

    /// Longest line accepted. Capture bounds a payload to 256 KB, so an exported record is far smaller; a
    /// longer line is not a record engram wrote and is refused before it is held whole.
    public static let maxLineBytes = 4 << 20

    /// What the checking pass learns about a file without keeping its records.
    struct Plan {
        var counts: [String: Int] = [:]
        var total = 0
        /// Sessions the file defines, and sessions its records refer to (each with the first line doing so).
        var sessions = Set<String>()
        var references: [String: Int] = [:]
    }

    /// Checks every line (streaming, bounded memory) and returns what the import will need; throws on the first bad line.
    func check(_ open: () throws -> JSONLLines) throws -> Plan {
        var lines = try open()
        var plan = Plan()
        var promised: [String: Int]?
        var sawHeader = false
        while let (n, bytes) = try lines.next() {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if !sawHeader {
                guard n == 1 else { throw PortabilityError.badHeader("the file starts with a blank line") }
                promised = try header(bytes)
                sawHeader = true
                continue
            }
            let r = try record(bytes, line: n)
            plan.counts[r.type.type, default: 0] += 1
            plan.total += 1
            if r.type.type == "session", let id = r.values["id"]?.text { plan.sessions.insert(id) }
            if let refColumn = r.type.sessionReference, let ref = r.values[refColumn]?.text, plan.references[ref] == nil {
                plan.references[ref] = n
            }
        }
        guard sawHeader else { throw PortabilityError.emptyFile }
        if let promised {
            for t in ExportFormat.types {
                let found = plan.counts[t.type] ?? 0
                if let expected = promised[t.type], expected != found {
                    throw PortabilityError.countMismatch(t.type, expected: expected, found: found)
                }
            }
        }
        return plan
    }

    /// Checks and returns every record of an in-memory file (tests, small files).
    func parse(_ data: Data) throws -> [Record] {
        _ = try check { JSONLLines(.data(data), maxLineBytes: Self.maxLineBytes) }
        var lines = JSONLLines(.data(data), maxLineBytes: Self.maxLineBytes)
        var records: [Record] = []
        _ = try lines.next()
        while let (n, bytes) = try lines.next() {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            records.append(try record(bytes, line: n))
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
        // A number, not text that reads as one: "1" is not the version engram writes.
        guard case .number(let v) = obj["version"], v == v.rounded(), abs(v) < 1e9 else {
            throw PortabilityError.badHeader("\"version\" must be a whole number, like 1")
        }
        let version = Int(v)
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
        var values: [String: ColumnValue] = [:]
        for col in type.columns {
            guard let value = obj[col.name] else { throw PortabilityError.badLine(n, "\(typeName) record has no \"\(col.name)\"") }
            values[col.name] = try Self.columnValue(value, col, type: typeName, line: n)
        }
        return Record(line: n, type: type, values: values)
    }

    /// Parses one line. JSONDecoder rather than JSONSerialization: on Linux the latter rounds some
    /// doubles (0.30000000000000004 comes back as 0.3000000000000001), which would break the exact round trip.
    static func json(_ bytes: Data) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: bytes)
    }

    static func columnValue(_ value: JSONValue, _ col: ExportFormat.Column, type: String, line n: Int) throws -> ColumnValue {
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
            return .text(s)
        case .int:
            guard case .number(let d) = value, d.isFinite, d == d.rounded(), abs(d) < 9_007_199_254_740_992 else { throw bad("a whole number") }
            return .integer(Int64(d))
        case .real:
            guard case .number(let d) = value, d.isFinite else { throw bad("a number") }
            return .real(d)
        case .bool:
            guard case .bool(let b) = value else { throw bad("true or false") }
            return .integer(b ? 1 : 0)
        case .json:
            switch value {
            case .array, .object: return .text(value.serialized())
            case .string(let s): return .text(s)
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
        try run({ JSONLLines(.data(data), maxLineBytes: Self.maxLineBytes) }, progress: progress)
    }

    /// `importData` for a file, read twice (checked, then written) in chunks: memory stays bounded by the
    /// longest line, whatever the file's size.
    @discardableResult
    public func importFile(at url: URL, progress: (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        var handles: [FileHandle] = []
        defer { for h in handles { try? h.close() } }
        return try run(
            {
                guard let h = FileHandle(forReadingAtPath: url.path) else {
                    throw PortabilityError.unreadable(url.path)
                }
                handles.append(h)
                return JSONLLines(.file(h), maxLineBytes: Self.maxLineBytes)
            }, progress: progress)
    }

    private func run(_ open: () throws -> JSONLLines, progress: (Int, Int) -> Void) throws -> Summary {
        let plan = try check(open)
        var lines = try open()
        _ = try lines.next()
        var done = 0
        let tally = try store.importRows(
            sessions: Set(plan.references.keys).subtracting(plan.sessions),
            check: { missing in
                // Session references are checked against the file and the store before the first insert.
                for (ref, line) in plan.references.sorted(by: { $0.value < $1.value }) where missing.contains(ref) {
                    throw PortabilityError.badLine(
                        line, "a record refers to session \"\(ref)\", which is neither in the file nor in this data directory")
                }
                progress(0, plan.total)
            },
            next: {
                // The store asks for the next row once it has written or skipped the previous ones: `done` are done.
                if done > 0, done % 256 == 0 || done == plan.total { progress(done, plan.total) }
                while let (n, bytes) = try lines.next() {
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    let r = try record(bytes, line: n)
                    done += 1
                    return ExportRow(type: r.type.type, values: r.values)
                }
                return nil
            })
        return Summary(inserted: tally.inserted, skipped: tally.skipped)
    }
}
