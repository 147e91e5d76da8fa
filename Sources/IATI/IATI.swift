import Foundation
import Postgres

// The API the Reporting plugin codes against: activities in, an IATI 2.03 `iati-activities` document out.
// See docs/iati.md.

/// The municipality that publishes: the reporting organisation, funding and implementing.
public struct IATIOrganisation: Sendable, Equatable {
    /// The IATI organisation identifier, e.g. `BE-BCE_KBO-0207437468`.
    public var reference: String
    /// The IATI OrganisationType code, e.g. `22` (local government… as the municipality configured it).
    public var type: String
    /// The municipality's name.
    public var name: String
    /// The language its texts are in: `nl`, `en`, `fr`, `es`.
    public var language: String

    public init(reference: String, type: String, name: String, language: String) {
        self.reference = reference
        self.type = type
        self.name = name
        self.language = language
    }
}

/// One activity as the export needs it.
public struct IATIActivity: Sendable, Equatable {
    public var id: UUID
    public var title: String
    public var description: String
    /// `planned`, `ongoing`, `completed` or `cancelled`.
    public var status: String
    public var startsOn: CalendarDate?
    public var endsOn: CalendarDate?
    /// The partner municipality: implementing.
    public var partnerName: String
    /// ISO 3166-1 alpha-2: the recipient country.
    public var partnerCountry: String
    public var sdgGoals: [Int]
    public var sdgTargets: [String]
    /// Exact decimal strings (`"12500.00"`), never floats.
    public var budgetPlanned: String?
    public var budgetSpent: String?
    /// ISO 4217; the activity's default currency.
    public var currency: String?
    public var updatedAt: Date

    public init(
        id: UUID, title: String, description: String, status: String, startsOn: CalendarDate?, endsOn: CalendarDate?,
        partnerName: String, partnerCountry: String, sdgGoals: [Int], sdgTargets: [String], budgetPlanned: String?,
        budgetSpent: String?, currency: String?, updatedAt: Date
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.status = status
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.partnerName = partnerName
        self.partnerCountry = partnerCountry
        self.sdgGoals = sdgGoals
        self.sdgTargets = sdgTargets
        self.budgetPlanned = budgetPlanned
        self.budgetSpent = budgetSpent
        self.currency = currency
        self.updatedAt = updatedAt
    }
}

/// An activity left out of an export, and why.
public struct IATISkipped: Sendable, Equatable {
    public var id: UUID
    public var reason: String

    public init(id: UUID, reason: String) {
        self.id = id
        self.reason = reason
    }
}

/// An export: the document, and the activities that could not be expressed validly.
public struct IATIExport: Sendable {
    /// UTF-8 XML, an `iati-activities` document of version 2.03.
    public var xml: String
    public var skipped: [IATISkipped]

    public init(xml: String, skipped: [IATISkipped]) {
        self.xml = xml
        self.skipped = skipped
    }
}
