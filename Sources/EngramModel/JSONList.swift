/// Reads and writes the JSON string arrays kept in TEXT columns.
public enum JSONList {
    public static func decode(_ text: String?) -> [String] {
        guard let text, let v = try? JSONValue.parse(text), let a = v.arrayValue else { return [] }
        return a.compactMap(\.textValue)
    }

    public static func encode(_ items: [String]) -> String {
        JSONValue.array(items.map(JSONValue.string)).serialized()
    }
}
