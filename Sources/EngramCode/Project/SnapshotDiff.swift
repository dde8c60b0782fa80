import Foundation

/// Pure comparison of an old and a new symbol list by qualified name. Same-named definitions
/// (property getter/setter, `@overload` stubs) are kept apart by their order of appearance.
package enum SnapshotDiff {
    package static func compare(old: [CodeSymbol], new: [CodeSymbol]) -> [SymbolChange] {
        struct Key: Hashable { var name: String; var occurrence: Int }
        func keyed(_ list: [CodeSymbol]) -> [(Key, CodeSymbol)] {
            var counts: [String: Int] = [:]
            return list.map { s in
                let n = counts[s.qualifiedName, default: 0]
                counts[s.qualifiedName] = n + 1
                return (Key(name: s.qualifiedName, occurrence: n), s)
            }
        }
        let oldKeyed = keyed(old)
        var oldByKey: [Key: CodeSymbol] = [:]
        for (k, s) in oldKeyed { oldByKey[k] = s }
        var out: [SymbolChange] = []
        var seen: Set<Key> = []
        for (k, s) in keyed(new) {
            seen.insert(k)
            if let prev = oldByKey[k] {
                out.append(
                    SymbolChange(
                        qualifiedName: k.name, occurrence: k.occurrence,
                        change: prev.bodyHash == s.bodyHash ? .unchanged : .modified,
                        symbol: s, previousHash: prev.bodyHash))
            } else {
                out.append(SymbolChange(qualifiedName: k.name, occurrence: k.occurrence, change: .new, symbol: s, previousHash: nil))
            }
        }
        for (k, s) in oldKeyed where !seen.contains(k) {
            out.append(SymbolChange(qualifiedName: k.name, occurrence: k.occurrence, change: .deleted, symbol: s, previousHash: s.bodyHash))
        }
        return out
    }
}
