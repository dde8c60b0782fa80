import Foundation

/// A parsed `.safetensors` file: an 8-byte header length, a JSON header, then raw little-endian tensor bytes.
package struct SafeTensorsFile: Sendable {
    /// Element types found in safetensors headers.
    package enum DType: String, Sendable, Codable {
        case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
        case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"

        package var byteSize: Int {
            switch self {
            case .f64, .i64: return 8
            case .f32, .i32: return 4
            case .f16, .bf16, .i16: return 2
            case .i8, .u8, .bool: return 1
            }
        }
    }

    /// Where one tensor lives in the file.
    package struct TensorInfo: Sendable, Equatable {
        package let dtype: DType
        package let shape: [Int]
        /// Byte range inside the file.
        package let byteRange: Range<Int>
        package var elementCount: Int { shape.reduce(1, *) }
    }

    package let tensors: [String: TensorInfo]
    package let metadata: [String: String]
    private let data: Data

    /// Maps the file at `url` (memory-mapped, so only the tensors read are paged in).
    package init(url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EmbeddingError.fileNotFound(url.lastPathComponent)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw EmbeddingError.corruptSafeTensors("cannot read \(url.lastPathComponent): \(error.localizedDescription)")
        }
        try self.init(data: data)
    }

    /// Parses an in-memory safetensors image, validating every offset against the data size.
    package init(data: Data) throws {
        guard data.count >= 8 else { throw EmbeddingError.corruptSafeTensors("file is \(data.count) bytes, shorter than the 8-byte header") }
        var headerLength: UInt64 = 0
        for i in 0..<8 {
            headerLength |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i))
        }
        guard headerLength > 0, headerLength <= UInt64(data.count - 8), headerLength < 100_000_000 else {
            throw EmbeddingError.corruptSafeTensors("header length \(headerLength) does not fit in a file of \(data.count) bytes")
        }
        let headerStart = data.startIndex + 8
        let header = data[headerStart..<(headerStart + Int(headerLength))]
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw EmbeddingError.corruptSafeTensors("header is not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw EmbeddingError.corruptSafeTensors("header is not a JSON object")
        }
        let dataStart = 8 + Int(headerLength)
        let dataSize = data.count - dataStart
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                if let m = value as? [String: Any] {
                    for (k, v) in m { if let s = v as? String { metadata[k] = s } }
                }
                continue
            }
            guard let entry = value as? [String: Any],
                let dtypeName = entry["dtype"] as? String,
                let shapeAny = entry["shape"] as? [Any],
                let offsetsAny = entry["data_offsets"] as? [Any], offsetsAny.count == 2
            else {
                throw EmbeddingError.corruptSafeTensors("entry '\(name)' lacks dtype, shape or data_offsets")
            }
            guard let dtype = DType(rawValue: dtypeName) else { throw EmbeddingError.unsupportedDType(dtypeName) }
            let shape = shapeAny.compactMap { ($0 as? NSNumber)?.intValue }
            let offsets = offsetsAny.compactMap { ($0 as? NSNumber)?.intValue }
            guard shape.count == shapeAny.count, offsets.count == 2, shape.allSatisfy({ $0 >= 0 }) else {
                throw EmbeddingError.corruptSafeTensors("entry '\(name)' has a malformed shape or offsets")
            }
            let (begin, end) = (offsets[0], offsets[1])
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { throw EmbeddingError.corruptSafeTensors("entry '\(name)' shape overflows") }
                count = product
            }
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw EmbeddingError.corruptSafeTensors(
                    "tensor '\(name)' bytes \(begin)..<\(end) lie outside the \(dataSize) data bytes (truncated file?)")
            }
            guard end - begin == count * dtype.byteSize else {
                throw EmbeddingError.corruptSafeTensors(
                    "tensor '\(name)' has \(end - begin) bytes but shape \(shape) needs \(count * dtype.byteSize)")
            }
            tensors[name] = TensorInfo(dtype: dtype, shape: shape, byteRange: (dataStart + begin)..<(dataStart + end))
        }
        self.tensors = tensors
        self.metadata = metadata
        self.data = data
    }

    /// The tensor's values converted to Float32, in row-major order.
    @_optimize(speed)
    package func floats(_ name: String) throws -> [Float] {
        guard let info = tensors[name] else { throw EmbeddingError.missingTensor(name) }
        let n = info.elementCount
        let start = data.startIndex + info.byteRange.lowerBound
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
            guard let base = raw.baseAddress?.advanced(by: start - data.startIndex) else { return [] }
            switch info.dtype {
            case .f32:
                return [Float](unsafeUninitializedCapacity: n) { buf, initialized in
                    for i in 0..<n {
                        buf[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    }
                    initialized = n
                }
            case .f16:
                return (0..<n).map { i in
                    Self.halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
                }
            case .bf16:
                return (0..<n).map { i in
                    Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) << 16)
                }
            case .f64:
                return (0..<n).map { i in
                    Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))))
                }
            default:
                throw EmbeddingError.unsupportedDType(info.dtype.rawValue)
            }
        }
    }

    /// IEEE half to single precision without relying on `Float16` (unavailable on some platforms).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = UInt32((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            let value = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -value : value
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// Serialises Float32 tensors in safetensors layout (used to build test models and tools).
    package static func encode(_ tensors: [(name: String, shape: [Int], values: [Float])], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for t in tensors {
            guard t.shape.reduce(1, *) == t.values.count else {
                throw EmbeddingError.invalidArgument("tensor \(t.name) has \(t.values.count) values for shape \(t.shape)")
            }
            header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.values.count * 4]]
            offset += t.values.count * 4
        }
        var headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while headerData.count % 8 != 0 { headerData.append(0x20) }
        var out = Data()
        var length = UInt64(headerData.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(headerData)
        for t in tensors {
            t.values.withUnsafeBufferPointer { buf in
                for v in buf {
                    var bits = v.bitPattern.littleEndian
                    withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
                }
            }
        }
        return out
    }
}
