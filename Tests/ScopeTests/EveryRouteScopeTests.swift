import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import Postgres
import TestSupport
import Testing

/// Walks every `GET` route that `/openapi.json` documents, read from the document at test time, so a route
/// added later is walked without touching this test: in every format and with every filter, as a caller who
/// may see only part of the instance, and fails on any answer that shows what they may not see.
@Suite("Every GET route, in every format and with every filter, shows a caller only what their scope holds")
struct EveryRouteScopeTests {
    /// Roeselare with two partnerships (P1 with a partner coordinator, P2 without them), Oostende with P3 and
    /// a viewer; each partnership with an activity, a budget, a theme, notes and an unshared lesson; the read
    /// model, inboxes and a
    /// round of digests built; both municipalities publishing IATI.
    struct Scenario {
        var p1: SeededPartnership
        var p2: SeededPartnership
        var p3: SeededPartnership
        var partnerCoordinator: TestTenant
        var p2Coordinator: TestTenant
        var otherViewer: TestTenant
    }

    static func scenario(_ server: WholeServer) async throws -> Scenario {
        let admin = try await TestTenant.create(in: server.database, slug: "roeselare", role: .admin)
        let partnerCoordinator = try await TestTenant.create(
            in: server.database, slug: "roeselare", role: .partnerCoordinator)
        let p2Coordinator = try await TestTenant.create(in: server.database, slug: "roeselare", role: .coordinator)
        let otherAdmin = try await TestTenant.create(in: server.database, slug: "oostende", role: .admin)
        let otherViewer = try await TestTenant.create(in: server.database, slug: "oostende", role: .viewer)
        try await server.publishIATI(admin.tenantID, reference: "BE-BCE_KBO-0207437468")
        try await server.publishIATI(otherAdmin.tenantID, reference: "BE-BCE_KBO-0207529419")
        let p1Values = SeededPartnership(
            label: "P1", title: "Roeselare Dogbo Twinning", partner: "Dogbo Ahomey", country: "BJ",
            countryName: "Benin",
            activity: "Handwashing stations Lokossa", description: "Soap and basins for the market",
            theme: "dogbo-water", amount: "1234.56", currency: "EUR", note: "Wells dug near Tota",
            lessonTitle: "Houinga registers copied twice", lessonBody: "Two notebooks outlast a server in Houinga")
        let p2Values = SeededPartnership(
            label: "P2", title: "Roeselare Secret Twinning", partner: "Kafountine Hushville", country: "SN",
            countryName: "Senegal", activity: "Hidden borehole Abene", description: "Confidential drilling plan",
            theme: "hush-theme", amount: "98765.43", currency: "XOF", note: "Quiet progress at Diannah",
            lessonTitle: "Kabrousse quiet drilling lesson", lessonBody: "The secret well holds without a pump")
        let p3Values = SeededPartnership(
            label: "P3", title: "Oostende Banjul Twinning", partner: "Banjul Kombo", country: "GM",
            countryName: "Gambia",
            activity: "Beach clean-up Bakau", description: "Nets and sifters for the shore", theme: "banjul-coast",
            amount: "4321.09", currency: "EUR", note: "Sand sifted at Cape Point",
            lessonTitle: "Tanji nets mended lesson", lessonBody: "Sifting by tide beats sifting by noon")
        let (p1, p2, p3) = try await Application(router: server.router).test(.router) { client in
            (
                try await Self.seed(
                    p1Values, by: admin, member: partnerCoordinator, role: "partner_coordinator", client),
                try await Self.seed(p2Values, by: admin, member: p2Coordinator, role: "coordinator", client),
                try await Self.seed(p3Values, by: otherAdmin, member: nil, role: "", client)
            )
        }
        // The read model and the inboxes are kept by queued subscribers; a round of digests makes the history,
        // and notes after it fill the inboxes again for the preview.
        _ = try await server.workers.drain()
        try await server.sendDigests(after: 8)
        try await Application(router: server.router).test(.router) { client in
            for (partnership, by) in [(p1, admin), (p2, admin), (p3, otherAdmin)] {
                try await client.make(
                    "/api/v1/activities/\(partnership.activityID)/updates", as: by,
                    json: #"{"body": "Later: \#(partnership.note)"}"#)
            }
        }
        _ = try await server.workers.drain()
        return Scenario(
            p1: p1, p2: p2, p3: p3, partnerCoordinator: partnerCoordinator, p2Coordinator: p2Coordinator,
            otherViewer: otherViewer)
    }

    /// Registers the partnership with its activity and note as `admin`, and makes `member` its member.
    static func seed(
        _ values: SeededPartnership, by admin: TestTenant, member: TestTenant?, role: String,
        _ client: some TestClientProtocol
    ) async throws -> SeededPartnership {
        var seeded = values
        seeded.id = try await client.make(
            "/api/v1/partnerships", as: admin,
            json:
                #"{"title": "\#(values.title)", "partner": {"name": "\#(values.partner)", "country": "\#(values.country)"}, "status": "active", "sdgFocus": [6]}"#
        )
        if let member {
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(seeded.id)/members", as: admin,
                json: #"{"userId": "\#(member.userID)", "role": "\#(role)"}"#)
            #expect(added.status == .created)
        }
        seeded.activityID = try await client.make(
            "/api/v1/partnerships/\(seeded.id)/activities", as: admin,
            json: """
                {"title": "\(values.activity)", "description": "\(values.description)", "kind": "emergency_support",
                 "direction": "mutual", "themes": ["\(values.theme)"], "startsOn": "2020-04-01", "endsOn": "2020-12-31",
                 "sdgTargets": ["6.1"], "budget": {"planned": "\(values.amount)", "spent": "0", "currency": "\(values.currency)"}}
                """)
        try await client.make(
            "/api/v1/activities/\(seeded.activityID)/updates", as: admin, json: #"{"body": "\#(values.note)"}"#)
        seeded.resultID = try await client.make(
            "/api/v1/activities/\(seeded.activityID)/results", as: admin,
            json: #"{"title": "Result of \#(values.activity)", "type": "output"}"#)
        seeded.indicatorID = try await client.make(
            "/api/v1/results/\(seeded.resultID)/indicators", as: admin,
            json: #"{"title": "Measure of \#(values.activity)", "measure": "unit"}"#)
        seeded.periodID = try await client.make(
            "/api/v1/indicators/\(seeded.indicatorID)/periods", as: admin,
            json:
                #"{"start": "2020-04-01", "end": "2020-12-31", "target": {"comment": "Target for \#(values.activity)"}}"#
        )
        // What the partner learnt, written on their side and never shared (issue 18): it stays with those who
        // may see the partnership, by every route, the library's included.
        seeded.lessonID = try await client.make(
            "/api/v1/activities/\(seeded.activityID)/lessons", as: admin,
            json: """
                {"title": "\(values.lessonTitle)", "body": "\(values.lessonBody)", "side": "partner_municipality",
                 "policyDomain": "water", "language": "fr", "themes": ["\(values.theme)"]}
                """)
        return seeded
    }

    @Test("a partner coordinator of P1 finds nothing of P2, their municipality's other partnership, anywhere")
    func partnerCoordinatorSeesOnlyTheirPartnership() async throws {
        let server = try await WholeServer.make("scopewalkpc")
        let scenario = try await Self.scenario(server)
        let (p1, p2) = (scenario.p1, scenario.p2)
        let caller = scenario.partnerCoordinator
        try await Application(router: server.router).test(.router) { client in
            try await Self.walk(
                as: caller, named: "P1's partner coordinator", mayNotSee: p2.marks, mustSee: p1.marks,
                ids: [
                    "partnerships": [p1.id, p2.id], "activities": [p1.activityID, p2.activityID],
                    "results": [p1.resultID, p2.resultID], "indicators": [p1.indicatorID, p2.indicatorID],
                    "periods": [p1.periodID, p2.periodID], "lessons": [p1.lessonID, p2.lessonID],
                    "users": [caller.userID.lowercased, scenario.p2Coordinator.userID.lowercased],
                    "tenants": [caller.tenantID.lowercased],
                ],
                filters: Self.filters([p1, p2]), client)
        }
        await server.pool.close()
    }

    @Test("a viewer of another municipality finds nothing of P1 or P2, and sees their own P3")
    func otherMunicipalitySeesNothing() async throws {
        let server = try await WholeServer.make("scopewalkother")
        let scenario = try await Self.scenario(server)
        let (p1, p2, p3) = (scenario.p1, scenario.p2, scenario.p3)
        let caller = scenario.otherViewer
        try await Application(router: server.router).test(.router) { client in
            try await Self.walk(
                as: caller, named: "another municipality's viewer", mayNotSee: p1.marks + p2.marks, mustSee: p3.marks,
                ids: [
                    "partnerships": [p3.id, p1.id, p2.id],
                    "activities": [p3.activityID, p1.activityID, p2.activityID],
                    "results": [p3.resultID, p1.resultID, p2.resultID],
                    "indicators": [p3.indicatorID, p1.indicatorID, p2.indicatorID],
                    "periods": [p3.periodID, p1.periodID, p2.periodID],
                    "lessons": [p3.lessonID, p1.lessonID, p2.lessonID],
                    "users": [caller.userID.lowercased, scenario.partnerCoordinator.userID.lowercased],
                    "tenants": [caller.tenantID.lowercased, scenario.partnerCoordinator.tenantID.lowercased],
                ],
                filters: Self.filters([p3, p1, p2]), client)
        }
        await server.pool.close()
    }

    /// Values to try for each query parameter the document names: every partnership's id, country, theme
    /// and words, and values that select the seeded activities. Parameters not named here are tried with
    /// each value of their enumeration, if they have one.
    static func filters(_ partnerships: [SeededPartnership]) -> [String: [String]] {
        [
            "partnershipId": partnerships.map(\.id),
            "country": partnerships.map(\.country),
            "theme": partnerships.map(\.theme),
            "q": partnerships.flatMap { [$0.activity, $0.description.components(separatedBy: " ")[0]] },
            "year": ["2020"],
            "sdg": ["6"],
            "target": ["6.1"],
            "limit": ["1"],
        ]
    }

    /// Asks every documented `GET` route as `caller`: each path parameter filled with each id given for the
    /// path segment before it; plain, in each `format` the route documents, and with each filter alone and
    /// with each format. No answer (headers and body) may show a mark of `mayNotSee` that the request did not
    /// name itself; each mark of `mustSee` must show somewhere, so the walk really reaches the data.
    static func walk(
        as caller: TestTenant, named who: String, mayNotSee forbidden: [Mark], mustSee expected: [Mark],
        ids: [String: [String]], filters: [String: [String]], _ client: some TestClientProtocol
    ) async throws {
        let documentResponse = try await client.execute(uri: "/openapi.json", method: .get)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(documentResponse.body.readableBytesView)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var leaks: [String] = []
        var failures: [String] = []
        var shown: Set<Mark> = []
        var asked = 0
        var routes = 0
        for (template, item) in paths.sorted(by: { $0.key < $1.key }) {
            guard let operation = (item as? [String: Any])?["get"] as? [String: Any] else { continue }
            routes += 1
            for uri in try Self.uris(template, operation: operation, ids: ids, filters: filters) {
                let response = try await client.execute(
                    uri: uri, method: .get, headers: [.authorization: caller.authorization])
                asked += 1
                if response.status.code >= 500 {
                    failures.append("GET \(uri): \(response.status.code) \(String(buffer: response.body))")
                }
                // A cookie's value is a random token, not anyone's data: a two-letter country code can turn up
                // in one by chance (`-SN_`), so cookies are left out of what is searched.
                let answer =
                    response.headers.filter { $0.name != .setCookie }.map { "\($0.name): \($0.value)" }
                    .joined(separator: "\n") + "\n\n"
                    + String(decoding: response.body.readableBytesView, as: UTF8.self)
                // The document itself is what every caller gets without a token (it lists every country
                // code): nothing in it is anyone's data.
                let isPublicDocument = response.body == documentResponse.body
                for mark in forbidden
                where !isPublicDocument && !mark.isAsked(in: uri) && mark.isShown(in: answer) {
                    leaks.append("GET \(uri) (\(response.status.code)) shows \(mark)")
                }
                for mark in expected where mark.isShown(in: answer) { shown.insert(mark) }
            }
        }
        #expect(
            leaks.isEmpty,
            "\(leaks.count) answers to \(who) show what they may not see:\n\(leaks.prefix(40).joined(separator: "\n"))"
        )
        #expect(failures.isEmpty, "server errors:\n\(failures.prefix(10).joined(separator: "\n"))")
        let missing = expected.filter { !shown.contains($0) }
        #expect(missing.isEmpty, "\(who) never saw their own \(missing)")
        // The document lists the reports, exports, activities, partnerships, digests and users routes.
        #expect(routes >= 15, "only \(routes) GET routes documented")
        #expect(asked > 200)
    }

    /// Every URI a documented GET is asked at: its path expanded with `ids`, alone and with each of its
    /// `format`s, each filter value (`filters`, else the parameter's enumeration) alone and with each format.
    static func uris(
        _ template: String, operation: [String: Any], ids: [String: [String]], filters: [String: [String]]
    ) throws -> [String] {
        var formats: [String] = []
        var choices: [(String, String)] = []
        for parameter in operation["parameters"] as? [[String: Any]] ?? []
        where parameter["in"] as? String == "query" {
            guard let name = parameter["name"] as? String else { continue }
            // A query parameter's schema is its value's, or that or an empty string (anyOf): empty is absent.
            let schema = parameter["schema"] as? [String: Any]
            let value = (schema?["anyOf"] as? [[String: Any]])?.first ?? schema
            let enumeration = value?["enum"] as? [String] ?? []
            if name == "format" {
                formats = enumeration
            } else {
                choices += (filters[name] ?? enumeration).map { (name, $0) }
            }
        }
        var queries: [[(String, String)]] = [[]] + formats.map { [("format", $0)] }
        for choice in choices {
            queries.append([choice])
            queries += formats.map { [("format", $0), choice] }
        }
        return try expand(template, with: ids).flatMap { path in
            queries.map { query in
                query.isEmpty
                    ? path
                    : path + "?"
                        + query.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
                        .joined(separator: "&")
            }
        }
    }

    /// The paths to ask for a documented path: each `{parameter}` filled with each id given for the path
    /// segment before it. A parameter after a segment the test has no ids for fails the test, so a new route
    /// with an id in its path cannot slip past the walk.
    static func expand(_ template: String, with ids: [String: [String]]) throws -> [String] {
        var paths = [""]
        var previous = ""
        for segment in template.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            var values = [String(segment)]
            if segment.hasPrefix("{") {
                if previous == "unsubscribe" {
                    values = ["sbu_" + String(repeating: "x", count: 43)]
                } else if previous == "link" || previous == "invitations" || template.hasPrefix("/sign-in/platform/") {
                    // /sign-in/link/{token}, /sign-in/platform/{token}, /invitations/{token}: a link's secret,
                    // unknown here (a page that says so).
                    values = [String(repeating: "x", count: 43)]
                } else if previous == "showcase" {
                    // The public showcase, by the scenario's municipalities and their partners' would-be
                    // addresses: nothing is published there, so every page must show no mark.
                    values = ["roeselare", "oostende"]
                } else if previous == "{municipality}" {
                    values = ["dogbo", "banjul", "dogbo-2"]
                } else if let known = ids[previous] {
                    values = known
                } else {
                    Issue.record("no ids to fill \(segment) in \(template): add them to the walk")
                    return []
                }
            }
            paths = paths.flatMap { path in values.map { path + "/" + $0 } }
            previous = String(segment)
        }
        return paths
    }
}

extension UUID {
    fileprivate var lowercased: String { uuidString.lowercased() }
}
