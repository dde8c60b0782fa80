/// Trimming without Foundation: `trimmingCharacters(in:)` bridges every call to NSString, and the compressor,
/// the config and the hooks trim on every line they read. Same sets, same results, scalar by scalar.
extension StringProtocol where SubSequence == Substring {
    /// As `trimmingCharacters(in: .whitespaces)`: Unicode space separators and tab.
    var blankTrimmed: String { trimmingScalars(Self.isBlank) }

    /// As `trimmingCharacters(in: .whitespacesAndNewlines)`: blanks plus line and paragraph breaks.
    var spaceTrimmed: String {
        trimmingScalars { s in
            if s.value < 0x80 { return s == " " || (0x09...0x0D).contains(s.value) }
            if s.value == 0x85 { return true }
            let category = s.properties.generalCategory
            return category == .lineSeparator || category == .paragraphSeparator || Self.isBlank(s)
        }
    }

    /// Foundation's blanks: space separators, tab, and the zero width space (a space separator in the
    /// Unicode tables Foundation's sets were drawn from, a format character now).
    static func isBlank(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s == " " || s == "\t" }
        return s.value == 0x200B || s.properties.generalCategory == .spaceSeparator
    }

    /// As `trimmingCharacters(in: CharacterSet(charactersIn: characters))`.
    func trimming(charactersIn characters: String) -> String {
        let set = Set(characters.unicodeScalars)
        return trimmingScalars { set.contains($0) }
    }

    /// Without the leading and trailing scalars `drop` accepts.
    func trimmingScalars(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let whole: Substring = self[...]
        let scalars = whole.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }),
            let last = scalars.lastIndex(where: { !drop($0) })
        else { return "" }
        return String(whole.unicodeScalars[first...last])
    }
}

extension StringProtocol where SubSequence == Substring {
    /// The last occurrence of `needle`, compared byte for byte: `range(of:options: .backwards)` without bridging
    /// to NSString, for the ASCII markers the parsers look for.
    func lastRange(of needle: String) -> Range<Index>? {
        let hay = self[...].utf8
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return nil }
        var end = hay.endIndex
        while let start = hay.index(end, offsetBy: -pattern.count, limitedBy: hay.startIndex) {
            if hay[start..<end].elementsEqual(pattern) { return start..<end }
            end = hay.index(before: end)
        }
        return nil
    }
}
