/// Why no document could be made at all: what is wrong lies with the organisation or the whole export,
/// not with one activity (those are skipped and listed in ``IATIExport/skipped``).
public struct IATIExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for code to act on.
    public enum Code: Sendable, Equatable {
        /// The organisation's reference, type, name or language cannot be expressed validly.
        case invalidOrganisation
        /// No activity could be expressed validly, and the schema requires at least one.
        case noActivities
        /// The generation time lies outside the years 1…9999.
        case invalidGenerationTime
    }

    public var code: Code
    /// A sentence for the municipality's staff saying what to fix.
    public var reason: String
    /// The activities left out, with their reasons; all of them when the code is ``Code/noActivities``.
    public var skipped: [IATISkipped]

    public init(code: Code, reason: String, skipped: [IATISkipped] = []) {
        self.code = code
        self.reason = reason
        self.skipped = skipped
    }

    public var description: String { "IATI export failed: \(reason)" }
}
