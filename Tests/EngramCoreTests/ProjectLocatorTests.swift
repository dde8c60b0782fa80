import Foundation
import Testing

@testable import EngramCore

/// Project roots are found without URL: the same paths, the same `.git` walk.
@Suite struct ProjectLocatorTests {
    @Test(arguments: [
        "/", "/a//b/", "/a/./b/../c", "/..", "/../x", "/a/b/..", "/a/b/../..", "/a/b/../../..", "//x", "/a/.../b",
        "/ä/ b", "/a/b/.", "/tmp/p/", "/a/..b/c..", "/a/b/./../../c/./d//", "relative/dir", "./rel/../x", "..",
    ])
    func standardizesAsFoundationDoes(path: String) {
        #expect(ProjectLocator.standardized(path) == URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL.path)
    }

    @Test func rootIsTheNearestAncestorHoldingGit() throws {
        let env = try TestEnv()
        let repo = env.root.appendingPathComponent("repo")
        let deep = repo.appendingPathComponent("src/app/services")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
        #expect(ProjectLocator.root(for: deep.path) == repo.path)
        #expect(ProjectLocator.root(for: deep.path + "/../..//") == repo.path)
        #expect(ProjectLocator.root(for: repo.path) == repo.path)
        // A nested repository (a submodule's `.git` is a file) is its own project.
        let sub = repo.appendingPathComponent("vendor/lib")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data("gitdir: ../../.git/modules/lib\n".utf8).write(to: sub.appendingPathComponent(".git"))
        #expect(ProjectLocator.root(for: sub.appendingPathComponent("x").path) == sub.path)
        // Outside any repository: the working directory itself, standardized.
        let loose = env.root.appendingPathComponent("loose/dir")
        try FileManager.default.createDirectory(at: loose, withIntermediateDirectories: true)
        #expect(ProjectLocator.root(for: loose.path + "/./") == loose.path)
    }

    @Test func ignoreFileAtTheRootSwitchesCaptureOff() throws {
        let env = try TestEnv()
        #expect(!ProjectLocator.isIgnored(projectRoot: env.root.path))
        try Data().write(to: env.root.appendingPathComponent(".engram-ignore"))
        #expect(ProjectLocator.isIgnored(projectRoot: env.root.path))
    }
}

/// The hook reads its environment from `environ`, not ProcessInfo: the same variables, the same values.
@Suite struct ProcessEnvironmentTests {
    @Test func matchesProcessInfo() {
        let ours = ProcessEnvironment.current()
        #expect(!ours.isEmpty)
        #expect(ours == ProcessInfo.processInfo.environment)
    }
}
