import EngramKernelsAVX2
import EngramKernelsAVX512
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
        #expect(!features.hasAVX512)
    }

    /// The flags of this session's AMD EPYC (Zen 5) guest, trimmed: AVX-512 with VNNI.
    static let avx512Flags = "fpu sse sse2 fma avx f16c avx2 bmi2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512_vnni"

    @Test("AVX-512 needs F, BW, DQ and VL (and AVX2 + FMA); VNNI is reported apart")
    func parsesAVX512() {
        let features = CPUFeatures(cpuinfo: "flags\t\t: \(Self.avx512Flags)\n")
        #expect(features.hasAVX512 && features.hasAVX512VNNI && features.hasAVX2AndFMA)
        // Knights Landing has F but neither BW, DQ nor VL: the kernels' byte loads and masked forms would fault.
        for missing in ["avx512bw", "avx512dq", "avx512vl", "avx512f", "fma"] {
            let flags = Self.avx512Flags.split(separator: " ").filter { $0 != missing }.joined(separator: " ")
            #expect(!CPUFeatures(cpuinfo: "flags\t: \(flags)\n").hasAVX512, "without \(missing)")
        }
        let noVNNI = Self.avx512Flags.replacingOccurrences(of: " avx512_vnni", with: "")
        #expect(!CPUFeatures(cpuinfo: "flags\t: \(noVNNI)\n").hasAVX512VNNI)
    }

    @Test("ENGRAM_SIMD forces a path, rejects unknown values and paths this CPU lacks, defaults to the fastest path")
    func environmentOverride() throws {
        #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": "baseline"]) == .baseline)
        #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": " Baseline "]) == .baseline)
        #expect(throws: EmbeddingError.self) { try KernelPath.automatic(environment: ["ENGRAM_SIMD": "avx1024"]) }
        let best: KernelPath = KernelPath.avx512.isAvailable ? .avx512 : KernelPath.avx2.isAvailable ? .avx2 : .baseline
        #expect(try KernelPath.automatic(environment: [:]) == best)
        #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": "auto"]) == best)
        for path in [KernelPath.avx2, .avx512] {
            if path.isAvailable {
                #expect(try KernelPath.automatic(environment: ["ENGRAM_SIMD": path.rawValue.uppercased()]) == path)
                #expect(path.unavailableReason == nil)
            } else {
                #expect(throws: EmbeddingError.self) { try KernelPath.automatic(environment: ["ENGRAM_SIMD": path.rawValue]) }
                #expect(path.unavailableReason != nil)
            }
        }
    }

    @Test("x86-64 Linux builds carry the AVX2 and AVX-512 kernels, and use each when the CPU has its features")
    func avx2Compiled() {
        #if arch(x86_64) && os(Linux)
            #expect(AVX2Kernels.isCompiled, "Package.swift must build EngramKernelsAVX2 with -mavx2 -mfma -DENGRAM_AVX2")
            #expect(KernelPath.avx2.isAvailable == CPUFeatures.host.hasAVX2AndFMA)
            #expect(AVX512Kernels.isCompiled, "Package.swift must build EngramKernelsAVX512 with -mavx512f … -DENGRAM_AVX512")
            #expect(KernelPath.avx512.isAvailable == CPUFeatures.host.hasAVX512)
        #else
            #expect(!KernelPath.avx2.isAvailable && !KernelPath.avx512.isAvailable)
        #endif
        #expect(KernelPath.available.first == .baseline)
    }

    @Test(
        "an encoder asked for a path the CPU cannot run throws instead of crashing",
        .enabled(if: !KernelPath.avx2.isAvailable, "this CPU and build run AVX2"))
    func unavailablePathThrows() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        #expect(throws: EmbeddingError.self) { try BertEncoder(directory: tiny.directory, kernelPath: .avx2) }
    }

    @Test(
        "an encoder asked for AVX-512 on a CPU without it throws instead of crashing",
        .enabled(if: !KernelPath.avx512.isAvailable, "this CPU and build run AVX-512"))
    func unavailableAVX512Throws() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        #expect(throws: EmbeddingError.self) { try BertEncoder(directory: tiny.directory, kernelPath: .avx512) }
    }
}
