internal import EngramKernels
internal import EngramKernelsAVX2
internal import EngramKernelsAVX512
import Foundation

/// Which compiled copy of the encoder's kernels runs: the portable baseline, AVX2 + FMA, or AVX-512 on x86-64 CPUs
/// that have them (the same binary runs everywhere; the choice is made at start-up). Cases go from slowest to fastest.
package enum KernelPath: String, Sendable, CaseIterable, Codable {
    case baseline
    case avx2
    case avx512

    /// Environment variable overriding the automatic choice: `baseline`, `avx2`, `avx512` or `auto` (the default).
    package static let environmentKey = "ENGRAM_SIMD"

    /// Whether this binary carries the path and this CPU can run it.
    package var isAvailable: Bool {
        switch self {
        case .baseline: return true
        case .avx2: return AVX2Kernels.isCompiled && CPUFeatures.host.hasAVX2AndFMA
        case .avx512: return AVX512Kernels.isCompiled && CPUFeatures.host.hasAVX512
        }
    }

    /// Why this path cannot run here, or nil when it can.
    package var unavailableReason: String? {
        switch self {
        case .baseline: return nil
        case .avx2:
            if !AVX2Kernels.isCompiled { return "this build has no AVX2 kernels (x86-64 Linux only)" }
            return CPUFeatures.host.hasAVX2AndFMA ? nil : "this CPU lacks AVX2 or FMA"
        case .avx512:
            if !AVX512Kernels.isCompiled { return "this build has no AVX-512 kernels (x86-64 Linux only)" }
            return CPUFeatures.host.hasAVX512 ? nil : "this CPU lacks one of AVX-512 F, BW, DQ, VL"
        }
    }

    /// The paths this binary can run on this CPU, baseline first.
    package static var available: [KernelPath] { allCases.filter(\.isAvailable) }

    /// The fastest available path, unless `ENGRAM_SIMD` in `environment` asks for a specific one.
    /// Throws when it names an unknown path or one this CPU or build cannot run.
    package static func automatic(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KernelPath {
        let requested = environment[environmentKey]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if requested.isEmpty || requested == "auto" {
            return available.last ?? .baseline
        }
        guard let path = KernelPath(rawValue: requested) else {
            throw EmbeddingError.invalidArgument(
                "\(environmentKey)=\(requested) is not one of auto, baseline, avx2, avx512; unset it or fix the value")
        }
        try path.requireAvailable()
        return path
    }

    /// Throws a clear error when this path cannot run here.
    package func requireAvailable() throws {
        guard let why = unavailableReason else { return }
        throw EmbeddingError.invalidArgument(
            "kernel path \(rawValue) cannot run: \(why); use \(Self.available.map(\.rawValue).joined(separator: ", ")) or unset \(Self.environmentKey)"
        )
    }

    /// The kernel set for this path.
    var kernels: any EncoderKernels.Type {
        switch self {
        case .baseline: return BaselineKernels.self
        case .avx2: return AVX2Kernels.self
        case .avx512: return AVX512Kernels.self
        }
    }
}
