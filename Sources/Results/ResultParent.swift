import Foundation

/// Where a result hangs: an activity, or a partnership for its long-term results.
public enum ResultParent: Sendable, Hashable {
    case activity(UUID)
    case partnership(UUID)

    /// The parent's name in a 404: "no such activity".
    var name: String {
        switch self {
        case .activity: "activity"
        case .partnership: "partnership"
        }
    }
}
