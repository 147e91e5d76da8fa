import Foundation

/// Why an event name is refused: it must read `<plugin>.<what_happened>.v<N>` in lowercase.
public struct InvalidEventName: Error, CustomStringConvertible {
    /// The refused name.
    public var name: String

    public var description: String {
        "invalid event name \"\(name)\": expected <plugin>.<what_happened>.v<N>, e.g. activities.activity_recorded.v1"
    }

    static func check(_ name: String) throws(InvalidEventName) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let version = parts.last, version.hasPrefix("v"), version.count > 1,
            version.dropFirst().allSatisfy(\.isNumber),
            parts.dropLast().allSatisfy({ part in
                guard let first = part.first, first.isLowercase, first.isASCII else { return false }
                return part.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }
            })
        else { throw InvalidEventName(name: name) }
    }
}
