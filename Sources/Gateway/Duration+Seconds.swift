extension Duration {
    /// The seconds as a person reads them: `30`, `0.5`.
    var shownSeconds: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// The duration in whole nanoseconds, as NIO's `TimeAmount` takes it.
    var wholeNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
