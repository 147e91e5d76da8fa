import Foundation
import Vocabulary

// The API the Reporting plugin codes against: activities in, an IATI 2.03 `iati-activities` document out.
// See docs/iati.md.

/// The municipality that publishes: the reporting organisation, funding and implementing.
public struct IATIOrganisation: Sendable, Equatable {
    /// The IATI organisation identifier, e.g. `BE-BCE_KBO-0207437468`.
    public var reference: String
    /// The IATI OrganisationType code as the municipality configured it, e.g. `11` (Local Government).
    public var type: String
    /// The municipality's name.
    public var name: String
    /// The language its texts are in, an ISO 639-1 code: `nl`, `en`, `fr`, `es`.
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
    /// Its lowercase form, after the organisation's reference and a hyphen, is the IATI identifier.
    public var id: UUID
    public var title: String
    public var description: String
    /// `planned`, `ongoing`, `completed` or `cancelled`.
    public var status: String
    /// The first day; with ``endsOn`` it spans the budget periods.
    public var startsOn: CalendarDate?
    /// The last day, included.
    public var endsOn: CalendarDate?
    /// The partner municipality: implementing.
    public var partnerName: String
    /// ISO 3166-1 alpha-2: the recipient country.
    public var partnerCountry: String
    /// SDG goal numbers, 1…17.
    public var sdgGoals: [Int]
    /// SDG target codes such as `3.d`.
    public var sdgTargets: [String]
    /// OECD DAC 5-digit purpose codes such as `15112` (sector vocabulary 1).
    public var dacSectors: [String]
    /// Exact decimal strings (`"12500.00"`), never floats.
    public var budgetPlanned: String?
    public var budgetSpent: String?
    /// ISO 4217; the activity's default currency.
    public var currency: String?
    /// When it last changed: the activity's `last-updated-datetime`, and the date of its spent amount.
    public var updatedAt: Date
    /// Its results, with approved actual values only; written after the transactions.
    public var results: [IATIResult]
    /// What had been spent as stated per calendar year: one Expenditure transaction per year. Empty, or not
    /// agreeing with ``budgetSpent``: the spent amount is one transaction dated ``updatedAt``.
    public var spending: [IATISpending]

    public init(
        id: UUID, title: String, description: String, status: String, startsOn: CalendarDate?, endsOn: CalendarDate?,
        partnerName: String, partnerCountry: String, sdgGoals: [Int], sdgTargets: [String], budgetPlanned: String?,
        budgetSpent: String?, currency: String?, updatedAt: Date, results: [IATIResult] = [],
        spending: [IATISpending] = [], dacSectors: [String] = []
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
        self.dacSectors = dacSectors
        self.budgetPlanned = budgetPlanned
        self.budgetSpent = budgetSpent
        self.currency = currency
        self.updatedAt = updatedAt
        self.results = results
        self.spending = spending
    }
}

/// An activity left out of an export, or a part of an exported activity (a result, an indicator, a baseline, a
/// period) left out of it, and why.
public struct IATISkipped: Sendable, Equatable {
    public var id: UUID
    public var reason: String

    public init(id: UUID, reason: String) {
        self.id = id
        self.reason = reason
    }
}

/// An export: the document, the activities that could not be expressed validly, and the parts of exported
/// activities that could not.
public struct IATIExport: Sendable {
    /// UTF-8 XML, an `iati-activities` document of version 2.03.
    public var xml: String
    public var skipped: [IATISkipped]
    /// Parts left out of activities that were exported: results, indicators, baselines and periods, each by its
    /// own id. The activity itself is in the document.
    public var trimmed: [IATISkipped]

    public init(xml: String, skipped: [IATISkipped], trimmed: [IATISkipped] = []) {
        self.xml = xml
        self.skipped = skipped
        self.trimmed = trimmed
    }
}
