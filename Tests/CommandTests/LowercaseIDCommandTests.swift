import Foundation
import Postgres
import TestSupport
import Testing

/// The commands print ids in lower case, in text and in `--json`, as the API answers them.
@Suite("stedenband prints ids in lower case")
struct LowercaseIDCommandTests {
    static var uuid: Regex<Substring> {
        #/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/#
    }

    static func ids(in text: String) -> [String] { text.matches(of: uuid).map { String($0.output) } }

    @Test("tenant create, tenant list and platform-admin create print lower-case ids, as text and as JSON")
    func commandsPrintLowerCaseIDs() async throws {
        let database = try await TestDatabase.migrated("lowercaseidcli")
        let env = database.commandEnvironment()
        var printed: [String] = []
        for arguments in [
            ["tenant", "create", "roeselare", "--name", "Roeselare", "--admin-email", "admin@roeselare.be", "--json"],
            ["tenant", "create", "herent", "--name", "Herent", "--admin-email", "admin@herent.be"],
            ["tenant", "list", "--json"],
            ["platform-admin", "create", "--email", "ops@example.org", "--json"],
            ["platform-admin", "create", "--email", "night@example.org"],
        ] {
            let run = try await CommandRun.run(arguments, environment: env)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            let ids = Self.ids(in: run.stdout)
            #expect(!ids.isEmpty, "\(arguments) printed no id: \(run.stdout)")
            #expect(ids.allSatisfy { $0 == $0.lowercased() }, "\(arguments) printed \(ids)")
            printed += ids
        }
        // The ids printed are the ones the database holds.
        let admin = try await database.connectAsAdmin()
        let tenants = try await admin.query("SELECT id FROM platform.tenants").map {
            try $0.decode(UUID.self, column: 0).uuidString.lowercased()
        }
        await admin.close()
        #expect(tenants.count == 2 && tenants.allSatisfy { printed.contains($0) })
    }
}
