/// A `k × n` matrix (the right-hand side of a GEMM) stored as column panels: panel `j` holds columns
/// `16j ..< 16j + 16` as `k` consecutive rows of 16 floats, zero-padded past `n`. The micro-kernel then reads
/// weights sequentially. Non-owning: `PackedMatrix` owns weight storage, attention packs into scratch space.
package struct PanelMatrix: @unchecked Sendable {
    /// Columns per panel.
    package static let width = 16

    package let pointer: UnsafePointer<Float>
    package let k: Int
    package let n: Int
    /// Optional bias of `n` floats, zero-padded to `panelCount * width`.
    package let bias: UnsafePointer<Float>?

    @inlinable
    package init(pointer: UnsafePointer<Float>, k: Int, n: Int, bias: UnsafePointer<Float>? = nil) {
        self.pointer = pointer
        self.k = k
        self.n = n
        self.bias = bias
    }

    @inlinable
    package var panelCount: Int { (n + Self.width - 1) / Self.width }

    /// Floats needed to pack a `k × n` matrix.
    @inlinable
    package static func storageCount(k: Int, n: Int) -> Int { (n + width - 1) / width * width * k }

    /// Packs the `k × n` matrix whose element `(p, j)` is `source[p * rowStride + j * columnStride]` into `dst`
    /// (`storageCount(k:n:)` floats). A row-major matrix has `columnStride` 1; a PyTorch `Linear` weight
    /// (`out × in`, used as `in × out`) has `rowStride` 1 and `columnStride` = `k`.
    @inlinable
    package static func pack(
        _ source: UnsafePointer<Float>, rowStride: Int, columnStride: Int, k: Int, n: Int,
        into dst: UnsafeMutablePointer<Float>
    ) {
        let panels = (n + width - 1) / width
        for panel in 0..<panels {
            let j0 = panel * width
            let cols = min(width, n - j0)
            let d = dst + panel * k * width
            if columnStride == 1 {
                for p in 0..<k {
                    let s = source + p * rowStride + j0
                    let row = d + p * width
                    for c in 0..<cols { row[c] = s[c] }
                    for c in cols..<width { row[c] = 0 }
                }
            } else {
                for c in 0..<cols {
                    let s = source + (j0 + c) * columnStride
                    for p in 0..<k { d[p * width + c] = s[p * rowStride] }
                }
                if cols < width {
                    for p in 0..<k { for c in cols..<width { d[p * width + c] = 0 } }
                }
            }
        }
    }
}
