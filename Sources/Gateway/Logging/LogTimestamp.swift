import Vocabulary

/// The timestamp in front of a log line, as swift-log's `StreamLogHandler` prints it (`strftime`'s
/// `%Y-%m-%dT%H:%M:%S%z`), always in UTC: `2026-12-04T15:13:56+0000`.
///
/// Made by hand from the seconds since 1970 (``UTCTimestamp``), without `localtime`, which takes a lock and
/// may look at the time-zone files on every call; the server's logs are in UTC whatever the machine's zone.
enum LogTimestamp {
    /// The timestamp's text for `seconds` since 1970-01-01T00:00:00Z.
    static func text(secondsSince1970 seconds: Int) -> String {
        UTCTimestamp.text(secondsSince1970: seconds, zone: "+0000")
    }

    /// The timestamp's UTF-8 bytes.
    static func utf8(secondsSince1970 seconds: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        UTCTimestamp.append(secondsSince1970: seconds, zone: "+0000", to: &bytes)
        return bytes
    }

    /// A JSON line's start: `{"timestamp":"2026-12-04T15:13:56Z"`, RFC 3339 in UTC.
    static func jsonField(secondsSince1970 seconds: Int) -> [UInt8] {
        var bytes = Array(#"{"timestamp":""#.utf8)
        bytes.reserveCapacity(36)
        UTCTimestamp.append(secondsSince1970: seconds, zone: "Z", to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }
}
