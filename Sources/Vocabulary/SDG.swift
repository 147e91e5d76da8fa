/// The number of one of the 17 Sustainable Development Goals. Which goals exist is known here (1…17); their
/// names and targets are in the reference data's `SDGCatalogue`.
public struct SDGGoalID: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: Int

    /// The goals' numbers.
    public static let range = 1...17

    /// Every goal, 1 to 17.
    public static var all: [SDGGoalID] { range.map(SDGGoalID.init(unchecked:)) }

    /// The goal numbered `rawValue`, or `nil` when there is no such goal.
    public init?(rawValue: Int) {
        guard Self.range.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    init(unchecked rawValue: Int) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }

    public static func < (lhs: SDGGoalID, rhs: SDGGoalID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let goal = SDGGoalID(rawValue: try container.decode(Int.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "SDG goals are 1 to 17")
        }
        self = goal
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The code of an SDG target such as `3.d` or `11.1`: a goal's number, a point, and the target's number or
/// letter. Which targets exist is the reference data's `SDGCatalogue`; this type checks the form and gives
/// the goal.
public struct SDGTargetID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// The target coded `rawValue`, or `nil` when the code does not have a target code's form.
    public init?(rawValue: String) {
        let parts = rawValue.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let goal = Int(parts[0]), SDGGoalID.range.contains(goal),
            String(goal) == parts[0], (1...2).contains(parts[1].count),
            parts[1].allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLowercase) })
        else { return nil }
        self.rawValue = rawValue
    }

    /// The goal the target belongs to.
    public var goal: SDGGoalID {
        SDGGoalID(unchecked: Int(rawValue.prefix { $0 != "." })!)
    }

    public var description: String { rawValue }

    /// `3.2` before `3.10` before `3.a`, goal by goal.
    public static func inOrder(_ a: SDGTargetID, _ b: SDGTargetID) -> Bool {
        if a.goal != b.goal { return a.goal < b.goal }
        let x = a.rawValue.split(separator: ".").last.map(String.init) ?? a.rawValue
        let y = b.rawValue.split(separator: ".").last.map(String.init) ?? b.rawValue
        switch (Int(x), Int(y)) {
        case (let i?, let j?): return i < j
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return x < y
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let target = SDGTargetID(rawValue: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an SDG target code such as 3.d")
        }
        self = target
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
