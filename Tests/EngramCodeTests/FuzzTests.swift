import Foundation
import Testing

@testable import EngramCode

/// Mutated fixtures (deleted, duplicated and flipped bytes) must give a result or an error, never a crash.
@Suite struct FuzzTests {
    struct Rng {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    @Test func mutatedSourcesNeverCrash() throws {
        var rng = Rng(state: 42)
        let interesting: [UInt8] = Array("\"'\\{}()[]:#\n\t f=*@.,;".utf8) + [0xC3, 0xFF, 0x0D]
        var outcomes = (ok: 0, failed: 0)
        for url in try FixtureSupport.pythonFixtures() {
            let original = [UInt8](try Data(contentsOf: url))
            for _ in 0..<60 {
                var bytes = original
                for _ in 0..<(1 + rng.next(4)) {
                    guard !bytes.isEmpty else { break }
                    let at = rng.next(bytes.count)
                    switch rng.next(3) {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(interesting[rng.next(interesting.count)], at: at)
                    default: bytes[at] = interesting[rng.next(interesting.count)]
                    }
                }
                if (try? PythonExtractor().extract(source: Data(bytes), path: "fuzz.py")) != nil { outcomes.ok += 1 } else { outcomes.failed += 1 }
                // Truncation at every kind of position, too.
                let cut = Array(original.prefix(rng.next(original.count)))
                _ = try? PythonExtractor().extract(source: Data(cut), path: "cut.py")
            }
        }
        #expect(outcomes.ok > 0 && outcomes.failed > 0)
    }
}
