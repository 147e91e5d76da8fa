import Foundation
import Gateway
import Postgres
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
        var since: String?
        var focus: [Int]
        /// What the partnership works on, where that is public.
        var themes: String?
    }

    static let note = "Illustrative demo data: the partnership is real, this activity and its figures are not."

    static let municipalities: [Municipality] = [
        Municipality(
            slug: "sint-niklaas", name: "Sint-Niklaas", partnerName: "Tambacounda", country: "SN",
            region: "Tambacounda", since: "2003-01-01", focus: [16, 11, 6], themes: "civil registry and waste"
        ),
        Municipality(
            slug: "roeselare", name: "Roeselare", partnerName: "Dogbo", country: "BJ", region: "Couffo",
            since: "2010-01-01", focus: [16, 2, 8], themes: "birth registration, market and agriculture"
        ),
        Municipality(
            slug: "leuven", name: "Leuven", partnerName: "Para", country: "SR", region: "Para", since: "2009-01-01",
            focus: [4, 11, 3], themes: "education, waste and health"
        ),
        Municipality(
            slug: "herent", name: "Herent", partnerName: "Nimlaha'kok", country: "GT", region: "Alta Verapaz",
            since: nil, focus: [], themes: nil
        ),
    ]

    /// The tenant, an administrator, a coordinator and a partner coordinator, each with a token.
    static func createTenant(_ municipality: Municipality, on connection: PostgresConnection) async throws
        -> [(String, String, APIToken)]
    {
        let domain = "\(municipality.slug).demo.invalid"
        let (tenant, admin, adminToken) = try await Tenancy.createTenant(
            slug: municipality.slug,
            name: municipality.name,
            adminEmail: "admin@\(domain)",
            adminName: "Demo administrator",
            locale: "nl",
            timeZone: "Europe/Brussels",
            on: connection
        )
        var users = [(admin.email, "admin", adminToken)]
        for (role, name, locale) in [
            ("coordinator", "Demo coordinator", "nl"), ("partner_coordinator", "Demo partner coordinator", "fr"),
        ] {
            let email = "\(role.replacingOccurrences(of: "_", with: "-"))@\(domain)"
            let id = try await connection.query(
                """
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                VALUES (\(tenant.id), \(email), \(name), \(role), \(locale), 'Europe/Brussels') RETURNING id
                """
            )[0].decode(UUID.self, column: 0)
            let token = APIToken.generate()
            try await Tenancy.insertToken(token, tenantID: tenant.id, userID: id, name: "demo", on: connection)
            users.append((email, role, token))
        }
        return users
    }

    /// The partnership and its 2020 COVID-19 activities in both learning directions, through the API.
    static func fill(
        _ municipality: Municipality,
        coordinator: APIToken,
        partnerUser: (String, String, APIToken),
        client: DemoClient
    ) async throws {
        // Only public facts: what is not known is left out, never made up.
        var partner: [String: Any] = ["name": municipality.partnerName, "country": municipality.country]
        if let region = municipality.region { partner["region"] = region }
        var body: [String: Any] = [
            "title": "\(municipality.name)–\(municipality.partnerName)", "partner": partner,
            "status": PartnershipStatus.active.rawValue,
            "sdgFocus": municipality.focus,
            "description": (municipality.themes.map { "Stedenband on \($0). " } ?? "") + note,
        ]
        if let since = municipality.since { body["startedOn"] = since }
        let partnership = try await client.post("/partnerships", token: coordinator, json: body)
        guard let id = partnership["id"] as? String else { throw DemoError(reason: "no partnership id") }
        let members = try await lookUpUser(email: partnerUser.0, token: partnerUser.2, client: client)
        try await client.post(
            "/partnerships/\(id)/members",
            token: coordinator,
            json: ["userId": members, "role": PartnershipRole.partnerCoordinator.rawValue]
        )
        let activities: [[String: Any]] = [
            [
                "title": "Hygiene and awareness campaign", "kind": ActivityKind.awarenessCampaign.rawValue,
                "status": ActivityStatus.completed.rawValue,
                "startsOn": "2020-04-06", "endsOn": "2020-07-31", "direction": LearningDirection.northToSouth.rawValue,
                "sdgTargets": ["3.d", "6.2"], "themes": ["covid-19", "hygiene"],
                "budget": ["planned": "8000.00", "spent": "7420.00", "currency": "EUR"],
                "fundingSource": FundingSource.flemishGovernment.rawValue, "participants": 2500, "description": note,
            ],
            [
                "title": "Online exchange on crisis practice", "kind": ActivityKind.knowledgeExchange.rawValue,
                "status": ActivityStatus.completed.rawValue,
                "startsOn": "2020-05-14", "endsOn": "2020-05-14", "direction": LearningDirection.southToNorth.rawValue,
                "sdgTargets": ["16.7", "17.17"], "themes": ["covid-19", "online"], "participants": 24,
                "description": "\(municipality.partnerName) shares how it kept services running. \(note)",
            ],
            [
                "title": "Emergency support for the local health centre",
                "kind": ActivityKind.emergencySupport.rawValue,
                "status": ActivityStatus.completed.rawValue, "startsOn": "2020-06-01", "endsOn": "2020-09-30",
                "direction": LearningDirection.mutual.rawValue,
                "sdgTargets": ["3.8"], "themes": ["covid-19"],
                "budget": ["planned": "15000.00", "spent": "14850.00", "currency": "EUR"],
                "fundingSource": FundingSource.federalDGD.rawValue, "description": note,
            ],
        ]
        for activity in activities {
            let recorded = try await client.post("/partnerships/\(id)/activities", token: coordinator, json: activity)
            if let activityID = recorded["id"] as? String {
                try await client.post(
                    "/activities/\(activityID)/updates",
                    token: partnerUser.2,
                    json: ["body": "Progress noted by the partner coordinator. \(note)"]
                )
            }
        }
    }

    static func lookUpUser(email: String, token: APIToken, client: DemoClient) async throws -> String {
        guard let id = try await client.get("/me", token: token)["id"] as? String else {
            throw DemoError(reason: "cannot read the id of \(email)")
        }
        return id
    }
}
