import Foundation

/// Writes a data directory's memory (or one project's) as `engram-export` JSONL.
/// Output is deterministic: rows in a fixed order, object keys sorted, no export time,
/// so exporting the same data twice gives the same bytes.
public struct MemoryExporter: Sendable {
    let store: any PortabilityStore

    public init(store: any PortabilityStore) { self.store = store }

    /// Streams the export line by line (each line ends with "\n") and returns the count per record type.
    /// `progress` gets (rows written, rows in total).
    @discardableResult
    public func export(
        project: String?, progress: (Int, Int) -> Void = { _, _ in },
        write: (String) throws -> Void
    ) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        var total = 0
        var done = 0
        try store.export(
            project: project,
            counts: { found in
                counts = found
                let header: JSONValue = [
                    "format": .string(ExportFormat.name), "version": .number(Double(ExportFormat.version)),
                    "project": project.map(JSONValue.string) ?? .null,
                    "counts": .object(found.mapValues { .number(Double($0)) }),
                ]
                try write(header.serialized() + "\n")
                total = found.values.reduce(0, +)
                progress(0, total)
            },
            row: { row in
                guard let t = ExportFormat.recordType(named: row.type) else { return }
                var obj: [String: JSONValue] = ["type": .string(t.type)]
                for col in t.columns { obj[col.name] = Self.value(row.values[col.name] ?? .null, col) }
                try write(JSONValue.object(obj).serialized() + "\n")
                done += 1
                if done % 256 == 0 || done == total { progress(done, total) }
            })
        return counts
    }

    /// The export as one string (tests, small stores).
    public func exportString(project: String?) throws -> String {
        var out = ""
        try export(project: project) { out += $0 }
        return out
    }

    static func value(_ stored: ColumnValue, _ col: ExportFormat.Column) -> JSONValue {
        switch stored {
        case .null: return .null
        case .integer(let i):
            switch col.kind {
            case .bool: return .bool(i != 0)
            case .text, .json: return .string(String(i))
            default: return .number(Double(i))
            }
        case .real(let d):
            return col.kind == .text || col.kind == .json ? .string(String(d)) : .number(d)
        case .text(let s):
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
