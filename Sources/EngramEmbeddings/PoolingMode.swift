import Foundation

/// How token vectors become one sentence vector (sentence-transformers' Pooling module).
package enum PoolingMode: String, Sendable, Codable {
    case mean, cls, max

    /// Reads `1_Pooling/config.json` (or whichever folder modules.json names); mean when absent.
    static func load(directory: URL) -> PoolingMode {
        var poolingDir = directory.appendingPathComponent("1_Pooling")
        if let data = try? Data(contentsOf: directory.appendingPathComponent("modules.json")),
            let modules = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]]
        {
            for module in modules where (module["type"] as? String)?.hasSuffix("Pooling") == true {
                if let path = module["path"] as? String, !path.isEmpty { poolingDir = directory.appendingPathComponent(path) }
            }
        }
        guard let data = try? Data(contentsOf: poolingDir.appendingPathComponent("config.json")),
            let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return .mean }
        if obj["pooling_mode_cls_token"] as? Bool == true { return .cls }
        if obj["pooling_mode_max_tokens"] as? Bool == true { return .max }
        return .mean
    }

    /// Pools a `[len × h]` hidden-state matrix.
    @_optimize(speed)
    func pool(_ hidden: [Float], length: Int, hidden h: Int) -> [Float] {
        guard length > 0 else { return [Float](repeating: 0, count: h) }
        switch self {
        case .cls:
            return Array(hidden[0..<h])
        case .mean:
            var out = [Float](repeating: 0, count: h)
            for t in 0..<length { for i in 0..<h { out[i] += hidden[t * h + i] } }
            let inv = 1 / Float(length)
            for i in 0..<h { out[i] *= inv }
            return out
        case .max:
            var out = [Float](repeating: -.infinity, count: h)
            for t in 0..<length { for i in 0..<h { out[i] = Swift.max(out[i], hidden[t * h + i]) } }
            return out
        }
    }
}
