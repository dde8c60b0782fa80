import Foundation

/// The instruction-set extensions of the CPU this process runs on, as far as the encoder cares.
/// On Linux they come from the `flags` line of /proc/cpuinfo, which lists only features the kernel enabled
/// (AVX state saving included); elsewhere the set is empty and the baseline kernels run.
package struct CPUFeatures: Sendable, Equatable {
    /// Lower-case feature flags, e.g. "avx2", "fma".
    package let flags: Set<String>

    package init(flags: Set<String>) {
        self.flags = flags
    }

    /// Parses the text of /proc/cpuinfo: the first `flags` line (all cores report the same set).
    package init(cpuinfo: String) {
        let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") && $0.contains(":") }
        let list = line.flatMap { $0.split(separator: ":", maxSplits: 1).last } ?? ""
        self.init(flags: Set(list.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.lowercased() }))
    }

    /// Whether the AVX2 + FMA kernels can run.
    package var hasAVX2AndFMA: Bool { flags.contains("avx2") && flags.contains("fma") }

    /// Whether the AVX-512 kernels can run: foundation, byte/word, dword/qword and 128/256-bit forms (the set every
    /// AVX-512 CPU since Skylake-SP has), plus AVX2 and FMA. The kernel lists `avx512f` only when it saves zmm state.
    package var hasAVX512: Bool {
        hasAVX2AndFMA && ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains)
    }

    /// Whether the CPU has the AVX-512 int8 dot-product instructions (VNNI).
    package var hasAVX512VNNI: Bool { hasAVX512 && flags.contains("avx512_vnni") }

    /// The host's features, read once per process.
    package static let host: CPUFeatures = {
        #if os(Linux)
            guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return CPUFeatures(flags: []) }
            return CPUFeatures(cpuinfo: text)
        #else
            return CPUFeatures(flags: [])
        #endif
    }()
}
