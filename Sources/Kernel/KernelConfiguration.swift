import Foundation

/// The server's configuration file and environment, as far as the kernel reads them.
///
/// The file is JSON (`STEDENBAND_CONFIG`, default `stedenband.json` when present):
/// ```json
/// {"plugins": ["partnerships", "activities"], "settings": {"notifications": {"sendHour": "8"}}}
/// ```
/// `STEDENBAND_PLUGINS=partnerships,activities` overrides the file's list; with neither, every plugin runs.
public struct KernelConfiguration: Sendable, Decodable {
    /// The plugins to run, by id; `nil` runs them all.
    public var plugins: [String]?
    /// Each plugin's section.
    public var settings: [String: [String: String]]

    /// Makes a configuration.
    public init(plugins: [String]? = nil, settings: [String: [String: String]] = [:]) {
        self.plugins = plugins
        self.settings = settings
    }

    private enum CodingKeys: String, CodingKey { case plugins, settings }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        plugins = try container.decodeIfPresent([String].self, forKey: .plugins)
        settings = try container.decodeIfPresent([String: [String: String]].self, forKey: .settings) ?? [:]
    }

    /// Reads the file (if any) and the environment.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> KernelConfiguration {
        var configuration = KernelConfiguration()
        let explicit = environment["STEDENBAND_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicit ?? "stedenband.json"
        if let data = FileManager.default.contents(atPath: path) {
            do {
                configuration = try JSONDecoder().decode(KernelConfiguration.self, from: data)
            } catch {
                throw ConfigurationError(reason: "\(path) is not a valid configuration file: \(error)")
            }
        } else if explicit != nil {
            throw ConfigurationError(reason: "the configuration file \(path) cannot be read")
        }
        if let list = environment["STEDENBAND_PLUGINS"] {
            configuration.plugins = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        for (key, value) in environment where key.hasPrefix("STEDENBAND_") {
            let rest = key.dropFirst("STEDENBAND_".count)
            guard let separator = rest.firstIndex(of: "_") else { continue }
            let plugin = rest[..<separator].lowercased()
            let setting = Self.lowerCamelCase(String(rest[rest.index(after: separator)...]))
            guard !["plugins", "config", "home", "migrations"].contains(plugin) else { continue }
            configuration.settings[plugin, default: [:]][setting] = value
        }
        return configuration
    }

    /// `SEND_HOUR` → `sendHour`.
    static func lowerCamelCase(_ text: String) -> String {
        let words = text.lowercased().split(separator: "_")
        guard let first = words.first else { return "" }
        return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
