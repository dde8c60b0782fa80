import Foundation

/// A fixed-size, heap-allocated float array with a stable address, for weights and scratch space.
/// Immutable after initialisation when used for weights, hence safe to share between threads.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { buf in
            if let base = buf.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    deinit { pointer.deallocate() }
}

/// Lets raw pointers cross into `concurrentPerform` closures; each worker writes a disjoint region.
struct SendablePointer: @unchecked Sendable {
    let raw: UnsafeMutablePointer<Float>
    init(_ raw: UnsafeMutablePointer<Float>) { self.raw = raw }
}

struct SendableConstPointer: @unchecked Sendable {
    let raw: UnsafePointer<Float>
    init(_ raw: UnsafePointer<Float>) { self.raw = raw }
}
