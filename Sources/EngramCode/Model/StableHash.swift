import Foundation

/// FNV-1a 64-bit: a small, stable, dependency-free content hash (not for security).
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    mutating func combine(_ s: String) {
        for b in s.utf8 { combine(b) }
        combine(0xFF)
    }

    var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
