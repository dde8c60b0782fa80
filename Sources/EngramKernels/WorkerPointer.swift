/// Lets a float pointer cross into `concurrentPerform` workers; each worker touches a disjoint region
/// (or only reads).
public struct WorkerPointer: @unchecked Sendable {
    public let raw: UnsafeMutablePointer<Float>

    @inlinable
    public init(_ raw: UnsafeMutablePointer<Float>) { self.raw = raw }

    @inlinable
    public init(_ raw: UnsafePointer<Float>) { self.raw = UnsafeMutablePointer(mutating: raw) }
}
