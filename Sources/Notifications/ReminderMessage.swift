import Foundation

/// A reminder's mail as its templates see it.
struct ReminderMessage: Sendable, Equatable {
    var locale: String
    var subject: String
    var greeting: String
    var line: String
    var actionLabel: String
    var link: String
    var footer: String
    var settingsLabel: String
    var settingsLink: String
    var unsubscribeLabel: String
    var unsubscribeLink: String
}
