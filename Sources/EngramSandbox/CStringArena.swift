import Foundation

/// C strings and byte buffers that live until `free()`: the sandbox's C side reads them during one call.
final class CStringArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    func string(_ s: String) -> UnsafeMutablePointer<CChar> {
        let p = strdup(s)!
        allocations.append(UnsafeMutableRawPointer(p))
        return p
    }

    /// A NULL-terminated array of C strings.
    func array(_ strings: [String]) -> UnsafeMutablePointer<UnsafePointer<CChar>?> {
        let p = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (i, s) in strings.enumerated() { p[i] = UnsafePointer(string(s)) }
        p[strings.count] = nil
        allocations.append(UnsafeMutableRawPointer(p))
        return p
    }

    func bytes(_ bytes: [UInt8]) -> (pointer: UnsafePointer<CChar>, count: Int) {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { buf in
            if let base = buf.baseAddress { UnsafeMutableRawPointer(p).copyMemory(from: base, byteCount: buf.count) }
        }
        allocations.append(UnsafeMutableRawPointer(p))
        return (UnsafePointer(p), bytes.count)
    }

    func free() {
        for p in allocations { Foundation.free(p) }
        allocations.removeAll()
    }
}
