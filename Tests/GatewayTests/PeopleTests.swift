import Foundation
import Gateway
import Postgres
import TestSupport
import Testing

@Suite("People: who a user is, as the plugins read it")
struct PeopleTests {
    static let database = SuiteDatabase("people")

    @Test("a person is read in the caller's transaction: their municipality's users only, disabled ones marked")
    func readsWithinTheTransactionsMunicipality() async throws {
        let database = try await Self.database.get()
        let coordinator = try await TestTenant.create(
            in: database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(in: database, slug: "roeselare", role: .partnerCoordinator)
        let elsewhere = try await TestTenant.create(in: database, slug: "oostende", role: .admin)
        let admin = try await database.connectAsAdmin()
        try await admin.query(
            "UPDATE platform.tenants SET sender_email = 'stedenband@roeselare.be' WHERE id = \(coordinator.tenantID)")
        try await admin.query("UPDATE platform.users SET disabled_at = now() WHERE id = \(partner.userID)")
        await admin.close()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
            logger: TestLogger.make("people"))
        let people: any People = PostgresPeople()

        let (found, disabled, hidden, batch) = try await pool.withTransaction(tenantID: coordinator.tenantID) {
            connection in
            (
                try await people.person(coordinator.userID, on: connection),
                try await people.person(partner.userID, on: connection),
                try await people.person(elsewhere.userID, on: connection),
                try await people.people(
                    [coordinator.userID, partner.userID, elsewhere.userID, UUID()], on: connection)
            )
        }
        let person = try #require(found)
        #expect(person.email == "coordinator@roeselare.be" && person.name == "Test coordinator")
        #expect(person.role == .coordinator && person.locale == "nl" && person.timeZone == "Europe/Brussels")
        #expect(person.isActive)
        #expect(
            person.municipality
                == Municipality(
                    id: coordinator.tenantID, slug: "roeselare", name: "Roeselare",
                    senderEmail: "stedenband@roeselare.be"))
        #expect(disabled?.isActive == false && disabled?.role == .partnerCoordinator)
        // Another municipality's user is not found, alone or in a batch; nor is an id nobody has.
        #expect(hidden == nil)
        #expect(Set(batch.keys) == [coordinator.userID, partner.userID])

        // With no municipality set, nobody is found.
        let outside = try await pool.withTransaction { connection in
            try await people.person(coordinator.userID, on: connection)
        }
        #expect(outside == nil)
        await pool.close()
    }

    @Test("a municipality is read with its language and IATI identity, only where the transaction may see it")
    func readsMunicipalities() async throws {
        let database = try await Self.database.get()
        let leuven = try await TestTenant.create(in: database, slug: "leuven", role: .coordinator)
        let herent = try await TestTenant.create(in: database, slug: "herent", role: .coordinator)
        let admin = try await database.connectAsAdmin()
        try await admin.query(
            """
            UPDATE platform.tenants SET default_locale = 'fr', iati_organisation_ref = 'BE-BCE_KBO-0207451227',
                iati_organisation_type = '11'
            WHERE id = \(leuven.tenantID)
            """)
        let people: any People = PostgresPeople()
        // The migration login sees every municipality: the command line's `--tenant SLUG` finds one by slug.
        let bySlug = try await people.municipalities(slug: "herent", on: admin)
        let all = try await people.municipalities(slug: nil, on: admin)
        let unknown = try await people.municipalities(slug: "nowhere", on: admin)
        await admin.close()
        #expect(bySlug.map(\.id) == [herent.tenantID])
        #expect(
            all.map(\.slug) == all.map(\.slug).sorted() && Set(all.map(\.slug)).isSuperset(of: ["herent", "leuven"]))
        #expect(unknown.isEmpty)

        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
            logger: TestLogger.make("people"))
        let (own, other, visible) = try await pool.withTransaction(tenantID: leuven.tenantID) { connection in
            (
                try await people.municipality(leuven.tenantID, on: connection),
                try await people.municipality(herent.tenantID, on: connection),
                try await people.municipalities(slug: nil, on: connection)
            )
        }
        #expect(
            own
                == Municipality(
                    id: leuven.tenantID, slug: "leuven", name: "Leuven", senderEmail: nil, defaultLocale: "fr",
                    iatiOrganisationReference: "BE-BCE_KBO-0207451227", iatiOrganisationType: "11"))
        // Another municipality is not there for a municipality's transaction, alone or in the list.
        #expect(other == nil)
        #expect(visible.map(\.id) == [leuven.tenantID])
        let outside = try await pool.withTransaction { connection in
            try await people.municipalities(slug: nil, on: connection)
        }
        #expect(outside.isEmpty)
        await pool.close()
    }

    @Test("the roles the API offers a municipality's user are exactly those its table stores")
    func municipalityRolesMatchTheTable() async throws {
        #expect(Identity.Role.municipalityRoleNames == ["admin", "coordinator", "partner_coordinator", "viewer"])
        let database = try await Self.database.get()
        let tenant = try await TestTenant.create(in: database, slug: "dogbo", role: .admin)
        let admin = try await database.connectAsAdmin()
        for role in Identity.Role.municipalityRoleNames {
            try await admin.query(
                """
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                VALUES (\(tenant.tenantID), \("\(role)@dogbo.example"), 'Role', \(role), 'fr', 'Africa/Porto-Novo')
                """)
        }
        await #expect(throws: PostgresError.self) {
            try await admin.query(
                """
                INSERT INTO platform.users (tenant_id, email, name, role, locale, time_zone)
                VALUES (\(tenant.tenantID), 'platform@dogbo.example', 'Role', 'platform_admin', 'fr', 'UTC')
                """)
        }
        await admin.close()
    }
}
