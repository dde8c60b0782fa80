private import Crypto
import Foundation

/// SHA-256 digests in lowercase hex, to verify model files (swift-crypto: CryptoKit's API on Linux too).
enum FileDigest {
    static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// Streams the file in 1 MB reads: a model's weights are 90 MB and more.
    static func sha256(fileAt url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let s = String(byte, radix: 16)
            return byte < 16 ? "0" + s : s
        }.joined()
    }
}
