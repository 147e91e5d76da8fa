import Foundation
import Gateway

/// The digest schedule's three fields (`frequency`, `hour`, `weekday`, the API's names) as both forms show and
/// read them: a person's own on `/settings` (``NotificationsSettingsPage``) and the municipality's defaults on
/// `/admin/municipality` (``NotificationDefaultsSection``). The template is `digest-schedule-fields.mustache`.
enum DigestScheduleForm {
    /// The fields as read from a form: each value, or its message in the person's language.
    struct Read {
        var frequency: DigestSchedule.Frequency?
        var hour: Int?
        var weekday: Int?
        var errors: [String: String] = [:]
    }

    /// The three fields of a posted form, checked: a value each, or a message under the field's name.
    static func read(_ fields: PageForm, words: NotificationsPageWords) -> Read {
        var read = Read()
        read.frequency = DigestSchedule.Frequency(rawValue: fields["frequency"] ?? "")
        if read.frequency == nil { read.errors["frequency"] = words.frequencyInvalid }
        read.hour = Int(fields["hour"] ?? "").flatMap { (0...23).contains($0) ? $0 : nil }
        if read.hour == nil { read.errors["hour"] = words.hourInvalid }
        read.weekday = Int(fields["weekday"] ?? "").flatMap { (1...7).contains($0) ? $0 : nil }
        if read.weekday == nil { read.errors["weekday"] = words.weekdayInvalid }
        return read
    }

    /// What the template needs for the fields: the choices, the shown values selected (typed values are kept
    /// as typed), and the hour's hint.
    static func values(
        frequency: String, hour: String, weekday: String, hourHint: String, words: NotificationsPageWords
    ) -> [String: Any] {
        [
            "hourHint": hourHint,
            "frequencies": DigestSchedule.Frequency.allCases.map { choice -> [String: Any] in
                ["value": choice.rawValue, "name": words.name(choice), "selected": choice.rawValue == frequency]
            },
            "hours": (0...23).map { choice -> [String: Any] in
                [
                    "value": String(choice), "name": String(format: "%02d:00", choice),
                    "selected": String(choice) == hour,
                ]
            },
            "weekdays": words.weekdayNames.enumerated().map { index, name -> [String: Any] in
                ["value": String(index + 1), "name": name, "selected": String(index + 1) == weekday]
            },
        ]
    }
}
