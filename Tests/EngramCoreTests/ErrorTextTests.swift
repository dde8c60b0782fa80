import EngramCore
import EngramSQLite
import Foundation
import GRDB
import Testing

@Suite struct ErrorTextTests {
    /// A store's error is said in the engine's words, never with the statement or the stored text in its arguments.
    @Test func aDatabaseErrorIsOneLineWithoutItsStatementOrArguments() throws {
        let store = try EngramStore.inMemory()
        let insert = "INSERT INTO memories(id, project, created_at, content) VALUES (1, NULL, '2026-12-01', 'the payload text')"
        try store.writer.write { try $0.execute(sql: insert) }
        let error = #expect(throws: DatabaseError.self) { try store.writer.write { try $0.execute(sql: insert) } }
        let text = ErrorText.oneLine(try #require(error))
        #expect(text.hasPrefix("the database refused the operation (UNIQUE constraint failed"))
        #expect(text.hasSuffix("run `engram doctor`"))
        #expect(!text.contains("payload text") && !text.contains("INSERT"))
    }

    @Test func otherErrorsAreTheirDescriptionOnOneBoundedLine() {
        struct Multi: LocalizedError { var errorDescription: String? { "first line\n\n  second line  \n" + String(repeating: "x", count: 500) } }
        let text = ErrorText.oneLine(Multi(), limit: 40)
        #expect(text.hasPrefix("first line second line x"))
        #expect(text.count == 41 && text.hasSuffix("…"))
    }
}
