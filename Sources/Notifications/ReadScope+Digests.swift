import Foundation
import Gateway
import Postgres

extension ReadScope {
    /// What a digest and its preview cover, whoever receives them: the partnerships the recipient is a member
    /// of now. That lies within every role's scope (a partner coordinator's is exactly this), so a digest never
    /// tells anyone more than their role lets them read.
    static func digest(of user: UUID) -> ReadScope { .memberships(of: user) }

    /// The scope as a condition on our own copy of the members, given the column that holds the partnership's
    /// id: every read of the inbox goes through it.
    func notifications(partnership column: StaticString) -> PostgresQuery {
        condition(partnership: column, members: "notifications.members")
    }
}
