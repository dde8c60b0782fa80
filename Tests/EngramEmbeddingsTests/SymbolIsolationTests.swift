import Foundation
import Testing

/// The AVX2 module is compiled with `-mavx2 -mfma`. Any weak (link-once) function it defines whose name is not
/// its own — a standard-library specialisation such as `Array<Int>.append`, say — could be chosen by the linker
/// for the baseline code too, which would then crash on a CPU without AVX. So every weak function defined there
/// must belong to the module (be specialised on its `FusedArithmetic`, or be its own type's).
@Suite("AVX2 module isolation")
struct SymbolIsolationTests {
    /// Object files of EngramKernelsAVX2 in this checkout's build folder (debug and release, any triple).
    static let objectFiles: [URL] = {
        let build = TestSupport.testsFolder.deletingLastPathComponent().appendingPathComponent(".build")
        let fm = FileManager.default
        var dirs: [URL] = []
        for triple in (try? fm.contentsOfDirectory(at: build, includingPropertiesForKeys: nil)) ?? [] {
            for config in ["debug", "release"] {
                dirs.append(triple.appendingPathComponent(config).appendingPathComponent("EngramKernelsAVX2.build"))
            }
        }
        return dirs.flatMap { dir in
            ((try? fm.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []).filter { $0.pathExtension == "o" }
        }
    }()

    static var toolsAvailable: Bool {
        (try? TestSupport.run(["nm", "--version"])) != nil && (try? TestSupport.run(["swift", "demangle", "--compact", "$sSi"])) != nil
    }

    @Test("every weak function in EngramKernelsAVX2 is its own",
          .enabled(if: !objectFiles.isEmpty, "no EngramKernelsAVX2 object files under .build"),
          .enabled(if: toolsAvailable, "nm or swift demangle not found"))
    func weakFunctionsAreOwned() throws {
        var weak: [String] = []
        for file in Self.objectFiles {
            let listing = try TestSupport.run(["nm", "--defined-only", file.path])
            for line in listing.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 3, parts[1] == "W" { weak.append(String(parts[2])) }
            }
        }
        #expect(!weak.isEmpty, "expected the kernel specialisations to be weak functions")
        let demangled = try TestSupport.run(["swift", "demangle", "--compact"] + weak).split(separator: "\n")
        #expect(demangled.count == weak.count)
        let foreign = demangled.filter { !$0.contains("EngramKernelsAVX2.") }
        #expect(foreign.isEmpty, "weak functions the linker could share with baseline code: \(foreign)")
    }
}
