import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartnershipsContracts
import TestSupport
import Testing

@testable import Partnerships

/// A partnership as the API shows its publication.
struct Publication: Decodable {
    var id: UUID
    var version: Int
    var published: Bool
    var publishedAt: Date?
    var story: String
    var slug: String?
}

func publication(_ response: TestResponse) throws -> Publication {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(Publication.self, from: Data(response.body.readableBytesView))
}

/// Every key of a JSON object answer, `null` values included.
func keys(_ response: TestResponse) throws -> Set<String> {
    let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
    return Set(try #require(object).keys)
}

@Suite("Publishing a partnership on the showcase: PATCH published and story, the slug")
struct PublicationTests {
    static func dogbo(_ title: String) -> String {
        #"{"title": "\#(title)", "partner": {"name": "Dogbo", "country": "BJ"}}"#
    }

    @Test("the first publication makes the slug from the partner's name (dogbo, then dogbo-2), kept for good")
    func publishesWithASlug() async throws {
        let fixture = try await PartnershipsFixture.make("publication")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let admin = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .admin)
        let leuven = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            func create(_ title: String, as who: TestTenant, partner: String = "Dogbo") async throws -> Publication {
                let body = #"{"title": "\#(title)", "partner": {"name": "\#(partner)", "country": "BJ"}}"#
                let response = try await client.send(.post, "/api/v1/partnerships", as: who, json: body)
                #expect(response.status == .created)
                return try publication(response)
            }
            func patch(_ id: UUID, _ json: String, as who: TestTenant) async throws -> Publication {
                let response = try await client.send(.patch, "/api/v1/partnerships/\(id)", as: who, json: json)
                #expect(response.status == .ok, "\(json): \(String(buffer: response.body))")
                return try publication(response)
            }

            // A new partnership is not published, has no slug yet, and says so (null, not left out).
            let first = try await create("Roeselare–Dogbo", as: coordinator)
            #expect(!first.published && first.publishedAt == nil && first.slug == nil && first.story.isEmpty)
            let shown = try await client.send(.get, "/api/v1/partnerships/\(first.id)", as: coordinator)
            #expect(try keys(shown).isSuperset(of: ["published", "publishedAt", "story", "slug"]))

            let before = Date().addingTimeInterval(-1)
            let published = try await patch(
                first.id, #"{"published": true, "story": "Roeselare en Dogbo leren van elkaar."}"#, as: coordinator)
            #expect(published.published && published.slug == "dogbo" && published.version == 2)
            #expect(published.story == "Roeselare en Dogbo leren van elkaar.")
            #expect(try #require(published.publishedAt) >= before)

            // A second and a third partnership with the same partner (accents and case aside) in Roeselare.
            let second = try await create("Roeselare–Dogbo, schools", as: admin)
            #expect(try await patch(second.id, #"{"published": true}"#, as: admin).slug == "dogbo-2")
            let third = try await create("Roeselare–Dögbo", as: coordinator, partner: "DÖGBO ")
            #expect(try await patch(third.id, #"{"published": true}"#, as: coordinator).slug == "dogbo-3")
            // Another municipality's Dogbo is its own `dogbo`: slugs are unique within a municipality.
            let elsewhere = try await create("Leuven–Dogbo", as: leuven)
            #expect(try await patch(elsewhere.id, #"{"published": true}"#, as: leuven).slug == "dogbo")
            // A name with no Latin letter or digit still gets an address.
            let unnamed = try await create("Roeselare–?", as: coordinator, partner: "דוגבו")
            #expect(try await patch(unnamed.id, #"{"published": true}"#, as: coordinator).slug == "partner")

            // Unpublished: no longer published, the slug kept; publishing again at once changes nothing.
            let unpublished = try await patch(first.id, #"{"published": false}"#, as: coordinator)
            #expect(!unpublished.published && unpublished.publishedAt == nil && unpublished.slug == "dogbo")
            #expect(unpublished.story == "Roeselare en Dogbo leren van elkaar.")
            // The partner renamed while unpublished: the address once public stays the partnership's.
            _ = try await patch(first.id, #"{"partner": {"name": "Dogbo-Tota", "country": "BJ"}}"#, as: coordinator)
            let republished = try await patch(first.id, #"{"published": true}"#, as: coordinator)
            #expect(republished.published && republished.slug == "dogbo" && republished.publishedAt != nil)
            let again = try await patch(first.id, #"{"published": true}"#, as: coordinator)
            #expect(again.version == republished.version)
        }

        // Each publication is a PartnershipUpdated naming what changed, carrying the new state.
        let updates = try await fixture.events("partnerships.partnership_updated.v1")
        let firstUpdate = try #require(updates.first)
        #expect((firstUpdate["changedFields"] as? [String])?.sorted() == ["published", "story"])
        let state = try #require(firstUpdate["partnership"] as? [String: Any])
        #expect(state["published"] as? Bool == true && state["slug"] as? String == "dogbo")
        #expect(state["story"] as? String == "Roeselare en Dogbo leren van elkaar.")
        #expect(state["publishedAt"] is String)
        let changed = updates.compactMap { $0["changedFields"] as? [String] }
        #expect(changed.filter { $0 == ["published"] }.count == 6)  // dogbo-2, -3, Leuven, partner, off, on
        #expect(changed.count == 8)  // and the rename; the repeated publication announced nothing
        #expect(try await fixture.events("partnerships.partnership_status_changed.v1").isEmpty)
    }

    @Test("partnerships of one partner published at the same moment each get their own slug")
    func simultaneousPublications() async throws {
        let fixture = try await PartnershipsFixture.make("publicationrace")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            var ids: [UUID] = []
            for index in 1...4 {
                let created = try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator, json: Self.dogbo("Roeselare–Dogbo \(index)"))
                ids.append(try publication(created).id)
            }
            let slugs = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for id in ids {
                    group.addTask {
                        let response = try await client.send(
                            .patch, "/api/v1/partnerships/\(id)", as: coordinator, json: #"{"published": true}"#)
                        return (response.status, response.status == .ok ? try publication(response).slug : nil)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(slugs.map(\.0) == Array(repeating: .ok, count: 4))
            #expect(Set(slugs.compactMap(\.1)) == ["dogbo", "dogbo-2", "dogbo-3", "dogbo-4"])
        }
    }

    @Test("a story over 5,000 characters or a published that is no boolean is a 422 naming it; nothing changes")
    func storyValidated() async throws {
        let fixture = try await PartnershipsFixture.make("publicationbad")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let created = try await client.send(
                .post, "/api/v1/partnerships", as: coordinator, json: Self.dogbo("Roeselare–Dogbo"))
            let id = try publication(created).id
            // Characters are counted as the database counts them: "é" is one, not two bytes.
            let longest = String(repeating: "é", count: 5_000)
            let cases: [(String, String)] = [
                (#"{"story": "\#(longest)e"}"#, "story"),
                (#"{"story": "nul \u0000 here"}"#, "story"),
                (#"{"story": 7}"#, "story"),
                (#"{"published": "yes"}"#, "published"),
                (#"{"published": 1}"#, "published"),
                (#"{"published": true, "story": "\#(longest)!"}"#, "story"),
            ]
            for (body, field) in cases {
                let response = try await client.send(.patch, "/api/v1/partnerships/\(id)", as: coordinator, json: body)
                #expect(response.status == .unprocessableContent, "\(body.prefix(60))")
                let problem = String(buffer: response.body)
                #expect(problem.contains(#""field":"\#(field)""#), "\(body.prefix(60)): \(problem.prefix(300))")
            }
            let unchanged = try publication(try await client.send(.get, "/api/v1/partnerships/\(id)", as: coordinator))
            #expect(unchanged.version == 1 && !unchanged.published && unchanged.story.isEmpty && unchanged.slug == nil)

            // Exactly 5,000 is accepted; a story may be written before the partnership is published.
            let written = try await client.send(
                .patch, "/api/v1/partnerships/\(id)", as: coordinator, json: #"{"story": "\#(longest)"}"#)
            #expect(written.status == .ok)
            let story = try publication(written)
            #expect(story.story == longest && !story.published && story.slug == nil)
        }
        let updates = try await fixture.events("partnerships.partnership_updated.v1")
        #expect(updates.compactMap { $0["changedFields"] as? [String] } == [["story"]])
    }

    @Test("only administrators and coordinators publish: viewers and partner coordinators 403, elsewhere 404")
    func onlyWritersPublish() async throws {
        let fixture = try await PartnershipsFixture.make("publicationroles")
        let database = fixture.database
        let coordinator = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let viewer = try await TestTenant.create(in: database, slug: "roeselare", role: .viewer)
        let partner = try await TestTenant.create(in: database, slug: "roeselare", role: .partnerCoordinator)
        let stranger = try await TestTenant.create(in: database, slug: "leuven", role: .admin)
        try await Application(router: fixture.router).test(.router) { client in
            let id = try publication(
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator, json: Self.dogbo("Roeselare–Dogbo"))
            ).id
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(id)/members", as: coordinator,
                json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
            #expect(added.status == .created)
            let bodies = [#"{"published": true}"#, #"{"story": "Ours."}"#, #"{"published": "yes"}"#]
            for body in bodies {
                for (who, expected) in [
                    (viewer, HTTPResponse.Status.forbidden), (partner, .forbidden), (stranger, .notFound),
                ] {
                    let response = try await client.send(.patch, "/api/v1/partnerships/\(id)", as: who, json: body)
                    #expect(response.status == expected, "\(body): \(String(buffer: response.body))")
                }
            }
            let stored = try publication(try await client.send(.get, "/api/v1/partnerships/\(id)", as: coordinator))
            #expect(!stored.published && stored.story.isEmpty && stored.slug == nil)
        }
        #expect(try await fixture.events("partnerships.partnership_updated.v1").isEmpty)
    }

    @Test("events kept from before partnerships could be published still decode, the new fields nil")
    func oldEventsStillDecode() throws {
        // A PartnershipUpdated as version 1 stored it before issue 18: no published, publishedAt, story, slug.
        let stored = #"""
            {"partnership": {"id": "0190f5d2-7a1e-7c3b-9a55-3f1e2d4c5b6a", "title": "Roeselare–Dogbo",
             "partner": {"name": "Dogbo", "country": "BJ"}, "status": "active", "startedOn": "2001-03-01",
             "sdgFocus": [6, 16], "members": [{"userId": "0190f5d2-7a1e-7c3b-9a55-3f1e2d4c5b6b",
             "role": "partner_coordinator"}], "version": 4},
             "changedFields": ["title"]}
            """#
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let old = try decoder.decode(PartnershipUpdated.self, from: Data(stored.utf8))
        #expect(old.partnership.title == "Roeselare–Dogbo" && old.partnership.version == 4)
        #expect(old.partnership.published == nil && old.partnership.publishedAt == nil)
        #expect(old.partnership.story == nil && old.partnership.slug == nil)
        #expect(old.changedFields == ["title"])
        let created = try decoder.decode(PartnershipCreated.self, from: Data(stored.utf8))
        #expect(created.partnership.slug == nil)

        // A new event keeps them through the store's encoding.
        var state = old.partnership
        state.published = true
        state.publishedAt = Date(timeIntervalSince1970: 1_780_000_000)
        state.story = "Roeselare en Dogbo."
        state.slug = "dogbo"
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let new = PartnershipUpdated(partnership: state, changedFields: ["published", "story"])
        let again = try decoder.decode(PartnershipUpdated.self, from: try encoder.encode(new))
        #expect(again.partnership == state)
    }

    @Test("slugs: lower case, accents folded, other characters one hyphen, at most 63")
    func slugs() {
        #expect(PartnershipSlug.base("Dogbo") == "dogbo")
        #expect(PartnershipSlug.base("Nimlaha'kok") == "nimlaha-kok")
        #expect(PartnershipSlug.base("  São Tomé — Príncipe!  ") == "sao-tome-principe")
        #expect(PartnershipSlug.base("Łódź Straße") == "lodz-strasse")
        #expect(PartnershipSlug.base("ＫＯＲＴＲＩＪＫ ﬁve") == "kortrijk-five")
        #expect(PartnershipSlug.base("Ouagadougou") == "ouagadougou")
        let long = String(repeating: "abc def ", count: 20)
        let cut = PartnershipSlug.base(long)
        #expect(cut.count <= 63 && !cut.hasSuffix("-") && cut.hasPrefix("abc-def-"))
        let taken: Set = [cut, "dogbo"]
        let next = PartnershipSlug.free(for: long, taken: taken)
        #expect(next.hasSuffix("-2") && next.count <= 63 && !next.contains("--"))
        #expect(PartnershipSlug.free(for: "Dogbo", taken: ["dogbo", "dogbo-2"]) == "dogbo-3")
        #expect(PartnershipSlug.free(for: "!!!", taken: []) == "partner")
        for slug in [cut, next, "dogbo-3", "partner"] {
            #expect(slug.range(of: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", options: .regularExpression) != nil)
        }
    }
}
