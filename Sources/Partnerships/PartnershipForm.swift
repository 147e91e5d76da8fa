import Foundation
import Gateway
import PartnershipsContracts
import Vocabulary

/// A partnership's form as the person filled it in, field by field as they typed it (so a refused form shows
/// it again), with the JSON API's field names; it becomes the service's ``NewPartnership`` or
/// ``PartnershipChanges``.
struct PartnershipForm: Sendable {
    /// A field the form or the service refused; `reason` tells a date that could not be read from the
    /// service's checks.
    struct FieldError: PageFieldError {
        enum Reason: Sendable { case notADate, service }
        var field: String
        var message: String
        var reason: Reason = .service
    }

    var title = ""
    var partnerName = ""
    var partnerCountry = ""
    var partnerRegion = ""
    var partnerWebsite = ""
    var status = PartnershipStatus.initial.rawValue
    var startedOn = ""
    var endedOn = ""
    var description = ""
    var sdgFocus: [Int] = []
    /// The story for the public page and whether to publish (edit forms only).
    var story = ""
    var published = false
    /// The version the person opened (edit forms only).
    var version: Int?

    /// The fields in the order the form shows them.
    static let fieldOrder = [
        "title", "partner.name", "partner.country", "partner.region", "partner.website", "status", "startedOn",
        "endedOn", "sdgFocus", "description", "story", "published",
    ]

    init() {}

    /// The form showing `record` as it is stored.
    init(_ record: PartnershipRecord) {
        title = record.title
        partnerName = record.partner.name
        partnerCountry = record.partner.country
        partnerRegion = record.partner.region ?? ""
        partnerWebsite = record.partner.website ?? ""
        status = record.status.rawValue
        startedOn = record.startedOn?.description ?? ""
        endedOn = record.endedOn?.description ?? ""
        description = record.description
        sdgFocus = record.sdgFocus
        story = record.story
        published = record.published
        version = record.version
    }

    /// The form as posted (`body` is the urlencoded text; `sdgFocus` may come several times).
    init(posted body: String) {
        let form = PageForm(body)
        title = form["title"] ?? ""
        partnerName = form["partner.name"] ?? ""
        partnerCountry = form["partner.country"] ?? ""
        partnerRegion = form["partner.region"] ?? ""
        partnerWebsite = form["partner.website"] ?? ""
        status = form["status"] ?? ""
        startedOn = (form["startedOn"] ?? "").trimmingCharacters(in: .whitespaces)
        endedOn = (form["endedOn"] ?? "").trimmingCharacters(in: .whitespaces)
        description = (form["description"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        sdgFocus = PageForm.values("sdgFocus", in: body).compactMap { Int($0) }
        story = (form["story"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        // A checkbox left unticked is not sent at all.
        published = form["published"] == "true"
        version = form["version"].flatMap { Int($0) }
    }

    private var partner: Partner {
        Partner(
            name: partnerName, country: partnerCountry, region: partnerRegion.isEmpty ? nil : partnerRegion,
            website: partnerWebsite.isEmpty ? nil : partnerWebsite)
    }

    /// The dates as typed: a day, or none (empty); a text that is no date is an error.
    private var dates: (started: CalendarDate?, ended: CalendarDate?, errors: [FieldError]) {
        var errors: [FieldError] = []
        func read(_ text: String, _ field: String) -> CalendarDate? {
            if text.isEmpty { return nil }
            guard let date = CalendarDate(text) else {
                errors.append(FieldError(field: field, message: "is not a date", reason: .notADate))
                return nil
            }
            return date
        }
        let started = read(startedOn, "startedOn")
        let ended = read(endedOn, "endedOn")
        return (started, ended, errors)
    }

    /// A new partnership, and the dates that could not be read (``PageForm/submit(unreadable:checks:refusal:save:)``
    /// adds the body's own checks to them).
    func newPartnership() -> (NewPartnership, [FieldError]) {
        let (started, ended, errors) = dates
        let body = NewPartnership(
            title: title, partner: partner, status: status, startedOn: started, endedOn: ended,
            description: description, sdgFocus: sdgFocus)
        return (body, errors)
    }

    /// The changes to every field of the form (an empty date clears it), and the dates that could not be read.
    func changes() -> (PartnershipChanges, [FieldError]) {
        let (started, ended, errors) = dates
        let changes = PartnershipChanges(
            title: title, partner: partner, status: status, startedOn: started.map { .set($0) } ?? .cleared,
            endedOn: ended.map { .set($0) } ?? .cleared, description: description, sdgFocus: sdgFocus,
            published: published, story: story)
        return (changes, errors)
    }

    static func serviceErrors(_ errors: [Problem.FieldError]) -> [FieldError] {
        errors.map { FieldError(field: $0.field, message: $0.message) }
    }
}
