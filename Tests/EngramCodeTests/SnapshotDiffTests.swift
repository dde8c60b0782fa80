import Foundation
import Testing

@testable import EngramCode

@Suite struct SnapshotDiffTests {
    func symbols(_ s: String) throws -> [CodeSymbol] {
        try PythonExtractor().extract(source: Data(s.utf8), path: "m.py").symbols
    }

    let old = """
        class C:
            @property
            def size(self):
                return 1

            @size.setter
            def size(self, v):
                self._v = v

            def gone(self):
                pass

        def keep():
            return 1
        """

    @Test func marksEveryKindAndKeepsSameNamesApart() throws {
        let new = """
            class C:
                @property
                def size(self):
                    return 1

                @size.setter
                def size(self, v):
                    self._v = v * 2

            def keep():
                # only a comment changed
                return 1

            def added():
                pass
            """
        let changes = SnapshotDiff.compare(old: try symbols(old), new: try symbols(new))
        func change(_ name: String, _ occurrence: Int = 0) -> ChangeType? {
            changes.first { $0.qualifiedName == name && $0.occurrence == occurrence }?.change
        }
        #expect(change("C") == .modified)
        #expect(change("C.size", 0) == .unchanged)
        #expect(change("C.size", 1) == .modified)
        #expect(change("C.gone") == .deleted)
        #expect(change("keep") == .unchanged)
        #expect(change("added") == .new)
        #expect(changes.count == 6)
    }

    @Test func firstSnapshotIsAllNew() throws {
        let changes = SnapshotDiff.compare(old: [], new: try symbols(old))
        #expect(changes.allSatisfy { $0.change == .new })
        #expect(changes.count == 5)
    }
}

@Suite struct FunctionMapFormatterTests {
    @Test func rendersTheSeedView() throws {
        let old = "class Auth:\n    def login(self, email: str) -> bool:\n        return True\n"
        let new =
            "class Auth:\n    @router.post('/login')\n    def login(self, email: str) -> bool:\n        return False\n\n    def logout(self):\n        pass\n"
        let ex = PythonExtractor()
        let changes = SnapshotDiff.compare(
            old: try ex.extract(source: Data(old.utf8), path: "a.py").symbols,
            new: try ex.extract(source: Data(new.utf8), path: "a.py").symbols)
        let text = FunctionMapFormatter.render(path: "auth.py", changes: changes)
        #expect(
            text == """
                auth.py:
                  class Auth:
                    login(self, email: str) -> bool  [L3-L4] @router.post MODIFIED
                    logout(self)  [L6-L7] NEW

                """)
    }
}
