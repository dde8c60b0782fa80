import EngramKernelsAVX2
import Foundation
import Testing
@testable import EngramEmbeddings

@Suite("Kernel path selection")
struct KernelPathTests {
    /// Trimmed from a real /proc/cpuinfo of a 2-core AMD EPYC guest.
    static let cpuinfo = """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC
        flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr sse sse2 ht syscall nx fma cx16 sse4_1 sse4_2 avx f16c bmi1 avx2 smep bmi2
        bugs\t\t: sysret_ss_attrs

        processor\t: 1
        flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr sse sse2 ht syscall nx fma cx16 sse4_1 sse4_2 avx f16c bmi1 avx2 smep bmi2
        """

    @Test("reads the flags line of /proc/cpuinfo")
    func parsesCPUInfo() {
        let features = CPUFeatures(cpuinfo: Self.cpuinfo)
        #expect(features.flags.contains("avx2"))
        #expect(features.flags.contains("sse4_2"))
        #expect(!features.flags.contains("avx512f"))
        #expect(features.hasAVX2AndFMA)
        let noFMA = Self.cpuinfo.replacingOccurrences(of: " fma ", with: " ")
        #expect(!CPUFeatures(cpuinfo: noFMA).hasAVX2AndFMA)
        #expect(!CPUFeatures(cpuinfo: "processor\t: 0\nmodel name\t: old\n").hasAVX2AndFMA)
    }

    @Test("ENGRAM_SIMD forces the baseline, rejects unknown values, defaults to the fastest path")
    func environmentOverride() throws {
        #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": "baseline"]) == .baseline)
        #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": " Baseline "]) == .baseline)
        #expect(throws: EmbeddingError.self) { try KernelPath.automatic(environment: ["ENGRAM_SIMD": "avx512"]) }
        let best: KernelPath = KernelPath.avx2.isAvailable ? .avx2 : .baseline
        #expect(try KernelPath.automatic(environment: [:]) == best)
        #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": "auto"]) == best)
        if KernelPath.avx2.isAvailable {
            #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": "avx2"]) == .avx2)
        } else {
            #expect(throws: EmbeddingError.self) { try KernelPath.automatic(environment: ["ENGRAM_SIMD": "avx2"]) }
        }
    }

    @Test("x86-64 Linux builds carry the AVX2 kernels, and use them when the CPU has AVX2 and FMA")
    func avx2Compiled() {
        #if arch(x86_64) && os(Linux)
        #expect(AVX2Kernels.isCompiled, "Package.swift must build EngramKernelsAVX2 with -mavx2 -mfma -DENGRAM_AVX2")
        #expect(KernelPath.avx2.isAvailable == CPUFeatures.host.hasAVX2AndFMA)
        #else
        #expect(!KernelPath.avx2.isAvailable)
        #endif
        #expect(KernelPath.available.first == .baseline)
    }

    @Test("an encoder asked for a path the CPU cannot run throws instead of crashing",
          .enabled(if: !KernelPath.avx2.isAvailable, "this CPU and build run AVX2"))
    func unavailablePathThrows() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        #expect(throws: EmbeddingError.self) { try BertEncoder(directory: tiny.directory, kernelPath: .avx2) }
    }
}

@Suite("AVX2 and baseline kernels agree",
       .enabled(if: KernelPath.avx2.isAvailable, "needs a CPU with AVX2 and FMA and an x86-64 Linux build"))
struct KernelAgreementTests {
    @Test("tiny random BERT: same vectors through both paths", arguments: [1, 2])
    func tinyModel(threads: Int) throws {
        let tiny = try TinyBert(hidden: 64, heads: 4, intermediate: 128)
        defer { tiny.remove() }
        let base = try BertEncoder(directory: tiny.directory, threads: threads, kernelPath: .baseline)
        let avx2 = try BertEncoder(directory: tiny.directory, threads: threads, kernelPath: .avx2)
        #expect(base.kernelPath == .baseline && avx2.kernelPath == .avx2)
        let texts = ["the quick brown fox", String(repeating: "hello world ", count: 10), "def x ( ) : y = 1", ""]
        let a = base.embedSync(texts, kind: .document), b = avx2.embedSync(texts, kind: .document)
        for (text, (x, y)) in zip(texts, zip(a, b)) {
            #expect(TestSupport.cosine(x, y) >= 0.99999, "'\(text)': cosine \(TestSupport.cosine(x, y))")
            #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-4 }, "'\(text)'")
        }
    }

    @Test("real all-MiniLM-L6-v2: same vectors through both paths",
          .enabled(if: TestSupport.realModelDirectory != nil, "real model weights not found: set ENGRAM_TEST_MODEL_DIR"))
    func realModel() throws {
        let dir = try #require(TestSupport.realModelDirectory)
        let base = try BertEncoder(directory: dir, kernelPath: .baseline)
        let avx2 = try BertEncoder(directory: dir, kernelPath: .avx2)
        let texts = ["how does the worker restart after a crash?",
                     String(repeating: "the memory system remembers what the agent did and why ", count: 30),
                     "func embed(_ texts: [String]) async throws -> [[Float]]"]
        let a = base.embedSync(texts, kind: .document), b = avx2.embedSync(texts, kind: .document)
        for (x, y) in zip(a, b) {
            #expect(TestSupport.cosine(x, y) >= 0.99999, "cosine \(TestSupport.cosine(x, y))")
        }
    }
}
