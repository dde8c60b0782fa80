/// One stored row in the export format: its record type and every column of it by stored name.
public struct ExportRow: Sendable, Equatable {
    public var type: String
    public var values: [String: ColumnValue]

    public init(type: String, values: [String: ColumnValue]) {
        self.type = type
        self.values = values
    }
}
