import Foundation
import Testing

/// The AVX2 and AVX-512 modules are compiled with `-mavx2 -mfma` and `-mavx512f …`. Any weak (link-once) function
/// one of them defines whose name is not its own — a standard-library specialisation such as `Array<Int>.append`,
/// say — could be chosen by the linker for the baseline code too, which would then crash on a CPU without those
/// instructions. So every weak function defined there must belong to the module (be specialised on one of its
/// types, or be its own type's).
@Suite("Instruction-set module isolation")
struct SymbolIsolationTests {
    static let modules = ["EngramKernelsAVX2", "EngramKernelsAVX512"]

    /// Object files of `module` in this checkout's build folder (debug and release, any triple).
    static func objectFiles(_ module: String) -> [URL] {
        let build = TestSupport.testsFolder.deletingLastPathComponent().appendingPathComponent(".build")
        let fm = FileManager.default
        var dirs: [URL] = []
        for triple in (try? fm.contentsOfDirectory(at: build, includingPropertiesForKeys: nil)) ?? [] {
            for config in ["debug", "release"] {
                dirs.append(triple.appendingPathComponent(config).appendingPathComponent("\(module).build"))
            }
        }
        return dirs.flatMap { dir in
            ((try? fm.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []).filter { $0.pathExtension == "o" }
        }
    }

    static var toolsAvailable: Bool {
        (try? TestSupport.run(["nm", "--version"])) != nil && (try? TestSupport.run(["swift", "demangle", "--compact", "$sSi"])) != nil
    }

    @Test(
        "every weak function in an instruction-set module is its own",
        .enabled(if: modules.allSatisfy { !objectFiles($0).isEmpty }, "no object files of \(modules) under .build"),
        .enabled(if: toolsAvailable, "nm or swift demangle not found"),
        arguments: modules)
    func weakFunctionsAreOwned(module: String) throws {
        var weak: [String] = []
        for file in Self.objectFiles(module) {
            let listing = try TestSupport.run(["nm", "--defined-only", file.path])
            for line in listing.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 3, parts[1] == "W" { weak.append(String(parts[2])) }
            }
        }
        #expect(!weak.isEmpty, "expected the kernel specialisations of \(module) to be weak functions")
        let demangled = try TestSupport.run(["swift", "demangle", "--compact"] + weak).split(separator: "\n")
        #expect(demangled.count == weak.count)
        let foreign = demangled.filter { !$0.contains("\(module).") }
        #expect(foreign.isEmpty, "weak functions of \(module) the linker could share with baseline code: \(foreign)")
    }
}
