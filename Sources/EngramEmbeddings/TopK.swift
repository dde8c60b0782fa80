/// The best `k` hits offered, best first (higher score, then smaller id), each with the row it came from.
/// A small sorted buffer: cheap for the few hundred a search keeps, since most offers lose to the worst kept.
struct TopK {
    let k: Int
    private(set) var hits: [VectorIndex.Hit] = []
    private(set) var rows: [Int] = []

    init(_ k: Int) {
        self.k = k
        hits.reserveCapacity(k + 1)
        rows.reserveCapacity(k + 1)
    }

    var isFull: Bool { hits.count == k }
    /// The worst kept score once full; a row scoring below it cannot enter.
    var threshold: Float { hits.last?.score ?? -.infinity }

    static func better(_ a: VectorIndex.Hit, _ b: VectorIndex.Hit) -> Bool { a.score != b.score ? a.score > b.score : a.id < b.id }

    mutating func offer(_ hit: VectorIndex.Hit, _ filter: ((Int64) -> Bool)?, row: Int = 0) {
        if isFull, let worst = hits.last, !Self.better(hit, worst) { return }
        if let filter, !filter(hit.id) { return }
        var lo = 0, hi = hits.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.better(hits[mid], hit) { lo = mid + 1 } else { hi = mid }
        }
        hits.insert(hit, at: lo)
        rows.insert(row, at: lo)
        if hits.count > k { hits.removeLast(); rows.removeLast() }
    }
}
