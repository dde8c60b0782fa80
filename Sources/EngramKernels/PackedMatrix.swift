/// Owns a weight matrix packed into GEMM panels (see `PanelMatrix`) and its bias. Immutable after
/// initialisation, hence safe to share between threads.
package final class PackedMatrix: @unchecked Sendable {
    package let k: Int
    package let n: Int
    private let storage: UnsafeMutablePointer<Float>
    private let biasStorage: UnsafeMutablePointer<Float>?

    /// Packs the `k × n` matrix whose element `(p, j)` is `source[p * rowStride + j * columnStride]`;
    /// `bias`, when given, must hold `n` floats.
    package init(
        k: Int, n: Int, source: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
        bias: UnsafePointer<Float>? = nil
    ) {
        self.k = k
        self.n = n
        let count = max(1, PanelMatrix.storageCount(k: k, n: n))
        storage = Self.allocate(count)
        PanelMatrix.pack(source, rowStride: rowStride, columnStride: columnStride, k: k, n: n, into: storage)
        if let bias {
            let padded = max(1, (n + PanelMatrix.width - 1) / PanelMatrix.width * PanelMatrix.width)
            let b = Self.allocate(padded)
            b.initialize(repeating: 0, count: padded)
            b.update(from: bias, count: n)
            biasStorage = b
        } else {
            biasStorage = nil
        }
    }

    /// A PyTorch `Linear` weight (`n × k` row-major, `out × in`) and its bias, packed for `x · Wᵀ + b`.
    /// The caller has checked the shapes: `weight.count == n * k`, `bias.count == n`.
    package static func linear(weight: [Float], bias: [Float]?, outputs n: Int, inputs k: Int) -> PackedMatrix {
        // A mismatched weight (excluded by the caller's shape checks) packs as zeros rather than reading out of bounds.
        let w = weight.count == n * k && !weight.isEmpty ? weight : [Float](repeating: 0, count: max(1, n * k))
        return w.withUnsafeBufferPointer { wp in
            let source = wp.baseAddress! // `w` is never empty
            guard let bias, bias.count >= n, !bias.isEmpty else {
                return PackedMatrix(k: k, n: n, source: source, rowStride: 1, columnStride: k)
            }
            return bias.withUnsafeBufferPointer { bp in
                PackedMatrix(k: k, n: n, source: source, rowStride: 1, columnStride: k, bias: bp.baseAddress)
            }
        }
    }

    /// The non-owning view the kernels take; valid while this object is alive.
    package var panels: PanelMatrix {
        PanelMatrix(pointer: storage, k: k, n: n, bias: biasStorage.map { UnsafePointer($0) })
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }

    deinit {
        storage.deallocate()
        biasStorage?.deallocate()
    }
}
