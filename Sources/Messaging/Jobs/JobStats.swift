/// Counts by kind and state, and how long the oldest due job has waited.
public struct JobStats: Sendable, Codable {
    /// One kind's counts.
    public struct KindCounts: Sendable, Codable {
        public var kind: String
        public var counts: [String: Int]
    }

    /// Counts per kind, in kind order.
    public var kinds: [KindCounts]
    /// Counts per state over all kinds.
    public var totals: [String: Int]
    /// Seconds since the oldest available job became due; 0 when none is due.
    public var oldestAvailableAgeSeconds: Double
}
