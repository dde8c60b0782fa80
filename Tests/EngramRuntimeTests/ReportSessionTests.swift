import EngramCode
import EngramCore
import EngramSQLite
import Foundation
import Testing

@testable import EngramRuntime

@Suite struct ReportSessionTests {
    let since = ReportTestData.now.addingTimeInterval(-86400)

    func report() throws -> SessionReport {
        try SessionReportBuilder(stores: try ReportTestData.store().stores, now: ReportTestData.now)
            .build(project: ReportTestData.project, since: since, period: "1d")
    }

    @Test func countsComeFromThePeriodAndProject() throws {
        let r = try report()
        #expect(r.sessions == 2) // s2, s3 (s1 is older, s4 another project)
        #expect(r.observations == 5) // 2 in s2, 3 in s3
        // Netted per function: refresh_token new then modified = new; authenticate modified;
        // legacy_login deleted; two routes and a test new.
        #expect(r.functionsNew == 4)
        #expect(r.functionsModified == 1)
        #expect(r.functionsDeleted == 1)
        #expect(r.compression?.count == 2)
        #expect(r.compression?.avgRatio == 25) // (30 + 20) / 2
        #expect(r.compression?.avgLatencyMs == 70)
    }

    @Test func latestSessionHasItsOwnChangesFilesAndTheHotFilesTree() throws {
        let r = try report()
        #expect(r.latestSession?.id == "s3")
        #expect(r.latestSession?.files == ["auth/service.py", "tests/test_auth.py"])
        #expect(r.functionChanges.map(\.change) == ["modified", "deleted", "new"])
        #expect(r.functionChanges.first?.signature == "AuthService.refresh_token(token: str, rotate: bool = True) -> Token")
        #expect(r.callGraph?.file == "auth/service.py")
        #expect(r.callGraph?.callers.map(\.name) == ["AuthService.authenticate", "AuthService.refresh_token"])
        #expect(r.callGraph?.callers.first?.callees == ["_validate_password", "db.query()", "auth.tokens.Token.create"])
        #expect(r.learnings.map(\.confidence) == [1.0, 0.95, 0.85, 0.7, 0.5])
        #expect(r.learnings.last?.content == "pydantic v2 only")
    }

    @Test func terminalReportMatchesGolden() throws {
        ReportGolden.expectMatches(SessionReportRenderer(style: .plain).terminal(try report()), golden: "session-report.txt")
    }

    @Test func markdownReportMatchesGolden() throws {
        let builder = SessionReportBuilder(stores: try ReportTestData.store().stores, now: ReportTestData.now)
        let r = try builder.build(project: ReportTestData.project, since: since, period: "1d")
        let graph = try builder.changedCodeGraph(project: ReportTestData.project, since: since, format: .mermaid)
        ReportGolden.expectMatches(SessionReportRenderer().markdown(r, mermaid: graph), golden: "session-report.md")
    }

    @Test func colourOnlyWhenAsked() throws {
        let r = try report()
        #expect(!SessionReportRenderer(style: .plain).terminal(r).contains("\u{1B}["))
        let coloured = SessionReportRenderer(style: ReportStyle(colour: true)).terminal(r)
        #expect(coloured.contains("\u{1B}[32mNEW\u{1B}[0m"))
        // Colour never changes the layout: stripped of escapes it is the plain report.
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == SessionReportRenderer(style: .plain).terminal(r))
    }

    @Test func boxEdgesLineUp() throws {
        let lines = SessionReportRenderer().terminal(try report()).split(separator: "\n")
        let width = lines.first?.count ?? 0
        #expect(lines.allSatisfy { $0.count == width })
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.hasPrefix("│") && $0.hasSuffix("│") })
    }

    @Test func emptyStoreStillReports() throws {
        let r = try SessionReportBuilder(stores: try EngramStore.inMemory().stores, now: ReportTestData.now).build(
            project: nil, since: since, period: "1d")
        #expect(r.sessions == 0 && r.latestSession == nil && r.callGraph == nil && r.compression == nil)
        let text = SessionReportRenderer().terminal(r)
        #expect(text.contains("No session in this period."))
    }

    @Test(arguments: [
        ("AuthService.authenticate", "authenticate(self, email: str) -> Token", "AuthService.authenticate(email: str) -> Token"),
        ("Token.build", "build(cls)", "Token.build()"),
        ("main", "main()", "main()"),
        ("weird", "", "weird"),
    ])
    func signaturesDropTheReceiver(name: String, signature: String, expected: String) {
        #expect(FunctionChangeLog.display(qualifiedName: name, signature: signature) == expected)
    }

    @Test func wrapKeepsWordsAndIndent() {
        let lines = BoxRenderer.wrap("[0.70] Pattern: one two three four", width: 20, indent: 7)
        #expect(lines == ["[0.70] Pattern: one", "       two three", "       four"])
        #expect(BoxRenderer.wrap("abcdefghij", width: 4, indent: 0) == ["abcd", "efgh", "ij"])
    }
}
