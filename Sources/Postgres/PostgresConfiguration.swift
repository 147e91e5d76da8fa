import CLibPQ
import Foundation

/// How to reach a PostgreSQL server, read from a URL by libpq's own parser and passed on as
/// keyword/value pairs, so no value is ever spliced into a connection string.
///
/// `postgres://user:pass@host:5432/db?sslmode=require`, and unix sockets as
/// `postgres://user@/db?host=/path/to/socket/folder` (or `%2Fpath` as the host).
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// libpq's connection keywords and their values, in order.
    public private(set) var parameters: [(keyword: String, value: String)]
    /// Run-time settings sent with the startup packet (`-c name=value` in `options`); `RESET ALL` and
    /// `DISCARD ALL` return to these, so they survive a pooled connection's reset.
    public var sessionSettings: [(name: String, value: String)]
    /// How many statements with parameters each connection keeps prepared (least recently used evicted);
    /// 0 prepares none. `POSTGRES_STATEMENT_CACHE_SIZE`, else ``defaultStatementCacheSize``.
    public var statementCacheSize: Int

    /// The default number of prepared statements per connection, 256.
    public static let defaultStatementCacheSize = 256

    /// `POSTGRES_STATEMENT_CACHE_SIZE` from the environment, else ``defaultStatementCacheSize``.
    static let environmentStatementCacheSize: Int = {
        ProcessInfo.processInfo.environment["POSTGRES_STATEMENT_CACHE_SIZE"].flatMap { Int($0) }.map { max(0, $0) }
            ?? defaultStatementCacheSize
    }()

    /// The settings every connection gets, so that decoding does not depend on the server's defaults.
    public static let defaultSessionSettings: [(name: String, value: String)] = [
        ("DateStyle", "ISO, YMD"),
        ("IntervalStyle", "iso_8601"),
        ("TimeZone", "UTC"),
        ("extra_float_digits", "3"),
    ]

    /// Parses a `postgres://` or `postgresql://` URL (or a `key=value` connection string).
    public init(url: String) throws(PostgresError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            let reason = errorMessage.map { String(cString: $0).trimmingTrailingWhitespace() } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(code: .invalidConfiguration, reason: "invalid database URL: \(reason)")
        }
        defer { PQconninfoFree(options) }
        var parameters: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parameters.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        self.parameters = parameters
        self.sessionSettings = Self.defaultSessionSettings
        self.statementCacheSize = Self.environmentStatementCacheSize
    }

    /// The value of a libpq keyword, if set.
    public func value(of keyword: String) -> String? {
        parameters.last { $0.keyword == keyword }?.value
    }

    /// Returns a copy with a libpq keyword set (replacing an earlier value).
    public func setting(_ keyword: String, to value: String) -> PostgresConfiguration {
        var copy = self
        copy.parameters.removeAll { $0.keyword == keyword }
        copy.parameters.append((keyword, value))
        return copy
    }

    /// Returns a copy with a startup run-time setting added, such as `role`.
    public func withSessionSetting(_ name: String, _ value: String) -> PostgresConfiguration {
        var copy = self
        copy.sessionSettings.removeAll { $0.name == name }
        copy.sessionSettings.append((name, value))
        return copy
    }

    /// The keyword/value pairs handed to `PQconnectdbParams`, with the session settings in `options`.
    var connectionParameters: [(keyword: String, value: String)] {
        var result = parameters.filter { $0.keyword != "options" && $0.keyword != "client_encoding" }
        var options = value(of: "options").map { [$0] } ?? []
        for (name, value) in sessionSettings {
            // libpq splits `options` at spaces; a backslash keeps one in the value.
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: " ", with: "\\ ")
            options.append("-c \(name)=\(escaped)")
        }
        result.append(("options", options.joined(separator: " ")))
        result.append(("client_encoding", "UTF8"))
        if value(of: "application_name") == nil {
            result.append(("fallback_application_name", "stedenband"))
        }
        return result
    }

    /// The URL's parts with the password masked.
    public var description: String {
        let shown = parameters.map { parameter in
            parameter.keyword == "password" ? "password=********" : "\(parameter.keyword)=\(parameter.value)"
        }
        return "PostgresConfiguration(\(shown.joined(separator: " ")))"
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
