import Activities
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Kernel
import Messaging
import Partnerships
import PartnershipsContracts
import Postgres
import TestSupport
import Testing
import Vocabulary

/// The services check their typed input themselves, so a caller that does not come through the API (the
/// command line, the demo) meets the same rules and the same answers as a request's body.
@Suite("Service inputs checked for every caller")
struct ServiceInputTests {
    @Test("a partnership, an activity and an update the API would refuse are refused by the services, with its 422")
    func refusesWhatTheAPIRefuses() async throws {
        let fixture = try await PartnershipsFixture.make("serviceinput")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        let kernel = try Kernel.assemble(
            plugins: [PartnershipsPlugin(), ActivitiesPlugin()], configuration: KernelConfiguration(),
            router: Router(context: GatewayRequestContext.self),
            environment: GatewayEnvironment(
                pool: fixture.pool, readiness: Ready(), logger: TestLogger.make("serviceinput"),
                rateLimiter: RateLimiter(rate: 100_000, burst: 100_000)),
            queue: PostgresJobQueue(), logger: TestLogger.make("serviceinput"))
        let partnerships = PartnershipsService(publisher: kernel.publisher, people: PostgresPeople())
        let activities = ActivitiesService(publisher: kernel.publisher)
        let access = TenantAccess(tenantID: coordinator.tenantID, userID: coordinator.userID, role: .coordinator)

        func refusal(_ operation: (PostgresConnection) async throws -> Void) async throws -> Problem {
            do {
                try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { try await operation($0) }
            } catch let problem as Problem {
                return problem
            }
            Issue.record("the service accepted what the API refuses")
            return Problem(type: "", title: "", status: .ok)
        }

        let badPartnership = try await refusal { connection in
            _ = try await partnerships.create(
                NewPartnership(title: " ", partner: Partner(name: "Para", country: "XX"), sdgFocus: [18]),
                access: access, on: connection)
        }
        #expect(badPartnership.status == .unprocessableContent)
        #expect(
            badPartnership.errors == [
                Problem.FieldError(field: "title", message: "must be 1 to 200 characters"),
                Problem.FieldError(field: "partner.country", message: "must be an ISO 3166-1 alpha-2 code such as SN"),
                Problem.FieldError(field: "sdgFocus", message: "goals are numbered 1 to 17"),
            ])

        let partnership = try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await partnerships.create(
                NewPartnership(title: "Leuven–Para", partner: Partner(name: "Para", country: "SR")), access: access,
                on: connection)
        }
        let badActivity = try await refusal { connection in
            _ = try await activities.create(
                NewActivity(
                    title: "Exchange", kind: .knowledgeExchange, startsOn: CalendarDate(year: 2020, month: 5, day: 14),
                    endsOn: CalendarDate(year: 2020, month: 5, day: 1), direction: .mutual, sdgTargets: ["3.z"]),
                in: partnership.id, access: access, on: connection)
        }
        #expect(
            badActivity.errors == [
                Problem.FieldError(field: "sdgTargets", message: "unknown SDG target(s): 3.z"),
                Problem.FieldError(field: "endsOn", message: "must not be before startsOn"),
            ])
        let activity = try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await activities.create(
                NewActivity(title: "Exchange", kind: .knowledgeExchange, direction: .mutual), in: partnership.id,
                access: access, on: connection)
        }
        let badUpdate = try await refusal { connection in
            _ = try await activities.postUpdate(
                NewProgressUpdate(body: "  "), on: activity.id, access: access, on: connection)
        }
        #expect(badUpdate.errors == [Problem.FieldError(field: "body", message: "must be 1 to 20000 characters")])

        // Nothing refused was written or announced: one partnership, one activity, their two events.
        let admin = try await fixture.database.connectAsAdmin()
        let (stored, recorded, events) = try await admin.query(
            """
            SELECT (SELECT count(*) FROM partnerships.partnerships), (SELECT count(*) FROM activities.activities),
                   (SELECT count(*) FROM messaging.events)
            """)[0].decode((Int, Int, Int).self)
        await admin.close()
        #expect(stored == 1 && recorded == 1 && events == 2)
        await fixture.pool.close()
    }
}
