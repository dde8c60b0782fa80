import EngramMCP
import Foundation
import Testing

@Suite struct PathConfinementTests {
    @Test(
        arguments: [
            ("app/auth.py", "app/auth.py"),
            ("./app/../app/auth.py", nil),
            ("app/new_file.py", "app/new_file.py"),
            (".", ""),
        ] as [(String, String?)])
    func relativePathsStayInside(_ input: String, _ expected: String?) throws {
        let env = try MCPTestEnv()
        try env.write("app/auth.py", "x = 1\n")
        let c = PathConfinement(root: env.project.path)
        if let expected {
            #expect(try c.resolve(input).relative == expected)
        } else {
            #expect(throws: ToolFailure.self) { try c.resolve(input) }
        }
    }

    @Test(arguments: ["../outside/secret.py", "app/../../outside/secret.py", "/etc/passwd", "~/x", ""])
    func escapesAreRejected(_ input: String) throws {
        let env = try MCPTestEnv()
        let c = PathConfinement(root: env.project.path)
        #expect(throws: ToolFailure.self) { try c.resolve(input) }
    }

    @Test func absolutePathInsideIsAccepted() throws {
        let env = try MCPTestEnv()
        try env.write("app/auth.py", "x = 1\n")
        let r = try PathConfinement(root: env.project.path).resolve(env.project.path + "/app/auth.py")
        #expect(r.relative == "app/auth.py")
    }

    @Test func symlinkOutOfTheProjectIsRejected() throws {
        let env = try MCPTestEnv()
        try FileManager.default.createSymbolicLink(atPath: env.project.path + "/escape", withDestinationPath: env.outside.path)
        let c = PathConfinement(root: env.project.path)
        #expect(throws: ToolFailure.self) { try c.resolve("escape/secret.py") }
        // A file that does not exist yet behind the link is checked through the link too.
        #expect(throws: ToolFailure.self) { try c.resolve("escape/new.py") }
    }
}
