import Foundation
import IATI
import Postgres
import Vocabulary

/// Sample organisations and activities for the IATI tests, with defaults that export cleanly so each
/// test changes only what it is about.
enum Fixtures {
    static let organisation = IATIOrganisation(
        reference: "BE-BCE_KBO-0207437468", type: "11", name: "Stad Sint-Niklaas", language: "nl")

    /// 2024-11-29T08:01:00Z.
    static let generatedAt = Date(timeIntervalSince1970: 1_732_867_260)

    /// The UTC day of ``generatedAt``.
    static let today = day("2024-11-29")

    /// A date written `YYYY-MM-DD`.
    static func day(_ text: String) -> CalendarDate {
        guard let date = CalendarDate(text) else { preconditionFailure("not a date: \(text)") }
        return date
    }

    static func activity(
        id: UUID = UUID(),
        title: String = "Burgerlijke stand digitaliseren",
        description: String = "Samen met Tambacounda de registratie van geboortes verbeteren.",
        status: String = "ongoing",
        startsOn: CalendarDate? = day("2024-03-01"),
        endsOn: CalendarDate? = day("2025-12-31"),
        partnerName: String = "Commune de Tambacounda",
        partnerCountry: String = "SN",
        sdgGoals: [Int] = [16],
        sdgTargets: [String] = ["16.9"],
        budgetPlanned: String? = "12500.00",
        budgetSpent: String? = "4000.00",
        currency: String? = "EUR",
        updatedAt: Date = Date(timeIntervalSince1970: 1_730_000_000),
        results: [IATIResult] = [],
        spending: [IATISpending] = [],
        dacSectors: [String] = []
    ) -> IATIActivity {
        IATIActivity(
            id: id, title: title, description: description, status: status, startsOn: startsOn, endsOn: endsOn,
            partnerName: partnerName, partnerCountry: partnerCountry, sdgGoals: sdgGoals, sdgTargets: sdgTargets,
            budgetPlanned: budgetPlanned, budgetSpent: budgetSpent, currency: currency, updatedAt: updatedAt,
            results: results, spending: spending, dacSectors: dacSectors)
    }
}
