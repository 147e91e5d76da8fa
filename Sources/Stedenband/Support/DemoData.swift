import Activities
import Foundation
import Gateway
import Learning
import Partnerships
import PartnershipsContracts
import Postgres
import Results
import Vocabulary

/// The demo: real stedenbanden (public facts) with illustrative people, budgets and activities.
enum DemoData {
    struct Municipality: Sendable {
        var slug: String
        var name: String
        var partnerName: String
        var country: String
        var region: String?
        /// The first of January of the year the partnership began, where that year is public.
        var since: CalendarDate?
        var focus: [Int]
        /// What the partnership works on, where that is public.
        var themes: String?

        /// Where its demo people's e-mail goes: a reserved domain, so nothing is ever delivered.
        var domain: String { "\(slug).demo.invalid" }
    }

    /// A person the demo creates in a municipality: the sign-in pages can name them, and a sign-in link can
    /// be made for each (see ``DemoCommand/seed(logins:migrations:listener:logger:)``).
    struct User: Sendable, Equatable {
        /// The municipality's slug.
        var municipality: String
        var email: String
        var name: String
        var role: Identity.Role
        var locale: Language
    }

    /// A demo user as created, with their id and their API token (shown once).
    struct CreatedUser: Sendable {
        var user: User
        var id: UUID
        var token: APIToken
    }

    /// A demo municipality as created: its tenant and its users.
    struct CreatedMunicipality: Sendable {
        var municipality: Municipality
        var tenantID: UUID
        var users: [CreatedUser]

        /// The user of `role`; every demo municipality has one of each.
        func user(_ role: Identity.Role) throws -> CreatedUser {
            guard let user = users.first(where: { $0.user.role == role }) else {
                throw DemoError(reason: "\(municipality.slug) has no \(role.rawValue)")
            }
            return user
        }
    }

    static let note = "Illustrative demo data: the partnership is real, this activity and its figures are not."

    static let municipalities: [Municipality] = [
        Municipality(
            slug: "sint-niklaas", name: "Sint-Niklaas", partnerName: "Tambacounda", country: "SN",
            region: "Tambacounda", since: CalendarDate(year: 2003, month: 1, day: 1), focus: [16, 11, 6],
            themes: "civil registry and waste"
        ),
        Municipality(
            slug: "roeselare", name: "Roeselare", partnerName: "Dogbo", country: "BJ", region: "Couffo",
            since: CalendarDate(year: 2010, month: 1, day: 1), focus: [16, 2, 8],
            themes: "birth registration, market and agriculture"
        ),
        Municipality(
            slug: "leuven", name: "Leuven", partnerName: "Para", country: "SR", region: "Para",
            since: CalendarDate(year: 2009, month: 1, day: 1), focus: [4, 11, 3], themes: "education, waste and health"
        ),
        Municipality(
            slug: "herent", name: "Herent", partnerName: "Nimlaha'kok", country: "GT", region: "Alta Verapaz",
            since: nil, focus: [], themes: nil
        ),
    ]

    /// The people of `municipality`'s demo: an administrator, a coordinator and a partner coordinator, the
    /// administrator first.
    static func users(of municipality: Municipality) -> [User] {
        [
            (Identity.Role.admin, "Demo administrator", Language.default),
            (.coordinator, "Demo coordinator", .default), (.partnerCoordinator, "Demo partner coordinator", .fr),
        ].map { role, name, locale in
            User(
                municipality: municipality.slug,
                email: "\(role.rawValue.replacingOccurrences(of: "_", with: "-"))@\(municipality.domain)", name: name,
                role: role, locale: locale)
        }
    }

    /// Every demo user, municipality by municipality: whom the demo creates, by e-mail address.
    static var users: [User] { municipalities.flatMap(users(of:)) }

    /// The municipality and its demo users, each with a token; on the migration login, which may create
    /// municipalities.
    static func createTenant(_ municipality: Municipality, on connection: PostgresConnection) async throws
        -> CreatedMunicipality
    {
        let people = users(of: municipality)
        let administrator = people[0]
        let (tenant, admin, adminToken) = try await Tenancy.createTenant(
            slug: municipality.slug,
            name: municipality.name,
            adminEmail: administrator.email,
            adminName: administrator.name,
            locale: administrator.locale.rawValue,
            timeZone: "Europe/Brussels",
            on: connection
        )
        var created = [CreatedUser(user: administrator, id: admin.id, token: adminToken)]
        for user in people.dropFirst() {
            let id = try await connection.query(
                """
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                VALUES (\(tenant.id), \(user.email), \(user.name), \(user.role.rawValue), \(user.locale.rawValue),
                        'Europe/Brussels')
                RETURNING id
                """
            )[0].decode(UUID.self, column: 0)
            let token = APIToken.generate()
            try await Tenancy.insertToken(token, tenantID: tenant.id, userID: id, name: "demo", on: connection)
            created.append(CreatedUser(user: user, id: id, token: token))
        }
        return CreatedMunicipality(municipality: municipality, tenantID: tenant.id, users: created)
    }

    /// The services the demo records its data through, as the API's routes call them.
    struct Services: Sendable {
        var partnerships: PartnershipsService
        var activities: ActivitiesService
        var results: ResultsService
        var learning: LearningService
    }

    /// The partnership, its partner coordinator as a member, and its 2020 COVID-19 activities in both learning
    /// directions with a progress update each: through the services, in the municipality's transaction
    /// (`connection`), acting as its coordinator and its partner coordinator.
    static func fill(_ created: CreatedMunicipality, services: Services, on connection: PostgresConnection)
        async throws
    {
        let municipality = created.municipality
        let partnerUser = try created.user(.partnerCoordinator)
        let asCoordinator = TenantAccess(
            tenantID: created.tenantID, userID: try created.user(.coordinator).id, role: .coordinator)
        let asPartner = TenantAccess(tenantID: created.tenantID, userID: partnerUser.id, role: .partnerCoordinator)
        // Only public facts: what is not known is left out, never made up.
        let partnership = try await services.partnerships.create(
            NewPartnership(
                title: "\(municipality.name)–\(municipality.partnerName)",
                partner: Partner(
                    name: municipality.partnerName, country: municipality.country, region: municipality.region),
                status: .active, startedOn: municipality.since,
                description: (municipality.themes.map { "Stedenband on \($0). " } ?? "") + note,
                sdgFocus: municipality.focus),
            access: asCoordinator, on: connection)
        _ = try await services.partnerships.addMember(
            NewMember(userId: partnerUser.id, role: .partnerCoordinator), to: partnership.id, access: asCoordinator,
            on: connection)
        var first: UUID?
        for (index, activity) in activities(of: municipality).enumerated() {
            let recorded = try await services.activities.create(
                activity, in: partnership.id, access: asCoordinator, on: connection)
            _ = try await services.activities.postUpdate(
                NewProgressUpdate(body: "Progress noted by the partner coordinator. \(note)"), on: recorded.id,
                access: asPartner, on: connection)
            first = first ?? recorded.id
            // The online exchange, in which the Flemish municipality learnt from its partner.
            if index == 1 {
                _ = try await services.learning.write(
                    lesson(of: municipality), on: recorded.id, access: asCoordinator, on: connection)
            }
        }
        if let first {
            try await fillResults(
                of: first, services: services, coordinator: asCoordinator, partner: asPartner, on: connection)
        }
    }

    /// The campaign's illustrative result: one indicator of people reached, whose 2020 value the partner
    /// coordinator reported and a coordinator approved, and whose 2021 value waits for approval, so the reports
    /// have a figure and a coordinator has a value to review.
    static func fillResults(
        of activity: UUID, services: Services, coordinator: TenantAccess, partner: TenantAccess,
        on connection: PostgresConnection
    ) async throws {
        let result = try await services.results.define(
            NewResult(title: "People reached by the campaign", type: .output, description: note),
            in: .activity(activity), access: coordinator, on: connection)
        let indicator = try await services.results.define(
            NewIndicator(
                title: "People reached with hygiene messages", measure: .unit, description: note, sdgTarget: "3.d",
                baseline: BaselineInput(year: 2019, value: "0")),
            of: result.id, access: coordinator, on: connection)
        for (year, target, actual) in [(2020, "2000", "2500"), (2021, "3000", "2750")] {
            let period = try await services.results.define(
                NewPeriod(
                    start: day(year, 1, 1), end: day(year, 12, 31), target: TargetInput(value: target, comment: note)),
                ofIndicator: indicator.id, access: coordinator, on: connection)
            _ = try await services.results.report(
                (ActualInput(value: actual, comment: note), nil), for: period.id, access: partner, on: connection)
            if year == 2020 {
                _ = try await services.results.approve(
                    period.id, with: (ApprovalInput(), nil), access: coordinator, on: connection)
            }
        }
    }

    /// What the Flemish municipality learnt from its partner's online exchange, in its coordinator's words:
    /// illustrative, and neither shared nor published, as a new lesson is (sharing is the municipality's choice).
    static func lesson(of municipality: Municipality) -> NewLesson {
        NewLesson(
            title: "Diensten openhouden tijdens de crisis",
            body:
                "\(municipality.partnerName) toonde hoe het loket, de burgerlijke stand en de markt open bleven tijdens de lockdown. Illustratieve demogegevens: deze les is niet echt.",
            side: .flemishMunicipality, themes: ["covid-19", "online"], sdgTargets: ["16.7"],
            policyDomain: "participation", language: "nl")
    }

    /// The three illustrative activities of 2020.
    static func activities(of municipality: Municipality) -> [NewActivity] {
        [
            NewActivity(
                title: "Hygiene and awareness campaign", description: note, kind: .awarenessCampaign,
                status: .completed, startsOn: day(2020, 4, 6), endsOn: day(2020, 7, 31), direction: .northToSouth,
                sdgTargets: ["3.d", "6.2"], themes: ["covid-19", "hygiene"],
                budget: BudgetInput(planned: Amount(cents: 800_000), spent: Amount(cents: 742_000), currency: "EUR"),
                fundingSource: .flemishGovernment, participants: 2500),
            NewActivity(
                title: "Online exchange on crisis practice",
                description: "\(municipality.partnerName) shares how it kept services running. \(note)",
                kind: .knowledgeExchange, status: .completed, startsOn: day(2020, 5, 14), endsOn: day(2020, 5, 14),
                direction: .southToNorth, sdgTargets: ["16.7", "17.17"], themes: ["covid-19", "online"],
                participants: 24),
            NewActivity(
                title: "Emergency support for the local health centre", description: note, kind: .emergencySupport,
                status: .completed, startsOn: day(2020, 6, 1), endsOn: day(2020, 9, 30), direction: .mutual,
                sdgTargets: ["3.8"], themes: ["covid-19"],
                budget: BudgetInput(
                    planned: Amount(cents: 1_500_000), spent: Amount(cents: 1_485_000), currency: "EUR"),
                fundingSource: .federalDGD),
        ]
    }

    /// A day of the demo's calendar, which has only real ones.
    private static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            preconditionFailure("no such day: \(year)-\(month)-\(day)")
        }
        return date
    }
}

/// The demo could not be made; the message says where.
struct DemoError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "demo: \(reason)" }
}
