import Foundation
import Testing

@testable import EngramCode

/// Cross-file resolution over the `pkg` fixture (relative imports, `__init__` re-exports, hierarchy).
@Suite struct ProjectResolverTests {
    let root = FixtureSupport.fixture("python")

    func calls(_ path: String, external: Bool = false) throws -> [CodeCall] {
        var resolver = ProjectResolver(root: root, includeExternal: external)
        return try resolver.resolveCalls(ofFileAt: path)
    }

    func find(_ calls: [CodeCall], _ callee: String, line: Int? = nil) -> CodeCall? {
        calls.first { $0.calleeName == callee && (line == nil || $0.lineNumber == line) }
    }

    @Test func moduleNamesComeFromPackages() {
        let r = ProjectResolver(root: root)
        #expect(r.moduleName(forPath: "pkg/app.py") == "pkg.app")
        #expect(r.moduleName(forPath: "pkg/sub/helpers.py") == "pkg.sub.helpers")
        #expect(r.moduleName(forPath: "pkg/__init__.py") == "pkg")
        #expect(r.moduleName(forPath: "services.py") == "services")
    }

    @Test(arguments: [
        // callee as written, resolved, resolution
        ("User", "pkg.models.User.__init__", CallResolution.import), // re-export in pkg/__init__
        ("A", "pkg.models.User.__init__", .import), // alias + inherited __init__
        ("make_slug", "pkg.sub.helpers.slugify", .import), // aliased re-export
        ("h.slugify()", "pkg.sub.helpers.slugify", .import), // import a.b.c as h
        ("pkg.models.Base()", "pkg.models.Base.__init__", .import), // dotted module path
        ("persist", "pkg.sub.helpers.persist", .import), // from .sub.helpers import
    ])
    func appImportsResolve(callee: String, resolved: String, kind: CallResolution) throws {
        let c = try #require(find(try calls("pkg/app.py"), callee))
        #expect(c.calleeResolved == resolved)
        #expect(c.resolution == kind)
        #expect(c.callerName == "build")
    }

    @Test func unknownsStayUnresolved() throws {
        let all = try calls("pkg/app.py")
        let unknown = try #require(find(all, "unknown_function"))
        #expect(unknown.resolution == .unresolved && unknown.calleeResolved == nil)
        // A local holding an instance: followed by value flow (the resolver before it left this unresolved).
        let local = try #require(find(all, "admin.promote()"))
        #expect(local.resolution == .value && local.calleeResolved == "pkg.models.Admin.promote")
    }

    @Test(arguments: [
        ("helpers.persist()", "pkg.sub.helpers.persist", CallResolution.import, "Base.save"),
        ("cls.from_name()", "pkg.models.Base.from_name", .selfMethod, "Base.load"),
        ("super().__init__()", "pkg.models.Base.__init__", .selfMethod, "User.__init__"),
        ("sub.helpers.slugify()", "pkg.sub.helpers.slugify", .import, "User.rename"),
        ("self.save()", "pkg.models.Base.save", .selfMethod, "User.rename"),
        ("self.rename()", "pkg.models.User.rename", .selfMethod, "Admin.promote"),
    ])
    func hierarchyAndRelativeImports(callee: String, resolved: String, kind: CallResolution, caller: String) throws {
        let c = try #require(find(try calls("pkg/models.py"), callee))
        #expect(c.calleeResolved == resolved)
        #expect(c.resolution == kind)
        #expect(c.callerName == caller)
    }

    @Test func directAndExternalImports() throws {
        let project = try calls("pkg/sub/helpers.py")
        // The standard library stays out of the project graph unless asked for.
        #expect(find(project, "osp.join()") == nil && find(project, "re.sub()") == nil)
        let all = try calls("pkg/sub/helpers.py", external: true)
        let direct = try #require(find(all, "slugify"))
        #expect(direct.resolution == .direct && direct.calleeResolved == "pkg.sub.helpers.slugify")
        let ext = try #require(find(all, "osp.join()"))
        #expect(ext.resolution == .import && ext.calleeResolved == "os.path.join")
        let re = try #require(find(all, "re.sub()"))
        #expect(re.calleeResolved == "re.sub")
    }

    @Test func inMemoryAnalysesOverrideDisk() throws {
        // An edited, unsaved version of helpers: slugify renamed, so the re-export no longer resolves.
        let edited = try PythonExtractor().extract(source: Data("def slug(text):\n    return text\n".utf8), path: "pkg/sub/helpers.py")
        var r = ProjectResolver(root: root, files: [edited])
        let all = try r.resolveCalls(ofFileAt: "pkg/app.py")
        let c = try #require(find(all, "make_slug"))
        #expect(c.calleeResolved == nil && c.resolution == .unresolved)
    }
}
