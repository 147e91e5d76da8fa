/// A plugin's configuration section: string settings from the configuration file, overridden by
/// environment variables named `STEDENBAND_<PLUGIN>_<KEY>` (upper case, `-` as `_`).
public struct PluginConfiguration: Sendable {
    /// The settings, keys in lower camel case as in the file.
    public let values: [String: String]

    /// Makes a section.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// A string setting.
    public func string(_ key: String) -> String? { values[key] }

    /// An integer setting; `nil` when absent, an error when not a number.
    public func int(_ key: String) throws -> Int? {
        guard let text = values[key] else { return nil }
        guard let value = Int(text) else {
            throw ConfigurationError(reason: "\(key) must be a whole number, not \(text)")
        }
        return value
    }

    /// A boolean setting (`true`/`false`, `1`/`0`, `yes`/`no`).
    public func bool(_ key: String) throws -> Bool? {
        guard let text = values[key]?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(reason: "\(key) must be true or false, not \(text)")
        }
    }
}
