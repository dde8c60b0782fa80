/// Lets a float pointer cross into `concurrentPerform` workers; each worker touches a disjoint region
/// (or only reads).
package struct WorkerPointer: @unchecked Sendable {
    package let raw: UnsafeMutablePointer<Float>

    @inlinable
    package init(_ raw: UnsafeMutablePointer<Float>) { self.raw = raw }

    @inlinable
    package init(_ raw: UnsafePointer<Float>) { self.raw = UnsafeMutablePointer(mutating: raw) }
}
