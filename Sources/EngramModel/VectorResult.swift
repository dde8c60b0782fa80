/// What embedding one record gave: its vector, or why there is none.
public enum VectorResult: Sendable, Equatable {
    case vector(VectorKey, [Float])
    case failed(VectorKey, String)
}
