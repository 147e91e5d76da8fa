import Foundation
import Hummingbird
import Postgres
import Vocabulary

/// A shared lesson as the library shows it to every signed-in person of every municipality: what was learnt,
/// by which side, in which municipality and partnership, and the role to ask — never a person, nor the ids of
/// the partnership and activity, which another municipality could not use.
struct LibraryLesson: ResponseEncodable, Sendable, Equatable {
    struct Municipality: Codable, Sendable, Equatable {
        var slug: String
        var name: String
    }

    struct Partnership: Codable, Sendable, Equatable {
        var title: String
        var partnerName: String
        /// ISO 3166-1 alpha-2.
        var partnerCountry: String
    }

    struct Activity: Codable, Sendable, Equatable {
        var title: String
    }

    var id: UUID
    var title: String
    var body: String
    var side: LessonSide
    var themes: [String]
    var sdgTargets: [String]
    var policyDomain: String
    var language: String
    var municipality: Municipality
    var partnership: Partnership
    var activity: Activity
    /// The author's role in the partnership when writing: `coordinator` or `partner_coordinator`.
    var contactRole: PartnershipRole
    var sharedAt: Date

    /// A lesson from a row of `learning.search_library(…)`.
    init(row: PostgresRow) throws {
        municipality = Municipality(
            slug: try row.decode(String.self, column: 1), name: try row.decode(String.self, column: 2))
        id = try row.decode(UUID.self, column: 3)
        title = try row.decode(String.self, column: 4)
        body = try row.decode(String.self, column: 5)
        side = try row.decode(LessonSide.self, column: 6)
        themes = try row.decode([String].self, column: 7)
        sdgTargets = try row.decode([String].self, column: 8)
        policyDomain = try row.decode(String.self, column: 9)
        language = try row.decode(String.self, column: 10)
        partnership = Partnership(
            title: try row.decode(String.self, column: 11), partnerName: try row.decode(String.self, column: 12),
            partnerCountry: try row.decode(String.self, column: 13))
        activity = Activity(title: try row.decode(String.self, column: 14))
        contactRole = try row.decode(PartnershipRole.self, column: 15)
        sharedAt = try row.decode(Date.self, column: 16)
    }
}

/// A page of the library, newest shared first.
struct LibraryPage: ResponseEncodable, Sendable {
    var items: [LibraryLesson]
    var nextCursor: String?
}
