/// How the server writes its log lines (`LOG_FORMAT`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// swift-log's `StreamLogHandler` line, for a terminal: the default.
    case text
    /// One JSON object per line, for a log store: `timestamp`, `level`, `label`, `message`, `source` and the
    /// metadata's keys as fields.
    case json

    /// `LOG_FORMAT` read: `text` or `json`, in any case; `nil` for anything else (the caller refuses it).
    public init?(setting: String) {
        self.init(rawValue: setting.trimmedOfSpaces.lowercased())
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmedOfSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
