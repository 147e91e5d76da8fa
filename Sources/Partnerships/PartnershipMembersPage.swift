import Foundation
import Gateway
import Hummingbird
import PartnershipsContracts
import Vocabulary

/// `/partnerships/{id}/members`: the members with their roles; for those who may write, a form per member to
/// change their role or remove them, and one to add a user of the municipality. Each goes through
/// ``PartnershipsService/addMember(_:to:access:on:)`` and ``PartnershipsService/removeMember(_:from:access:on:)``,
/// as `POST` and `DELETE /api/v1/partnerships/{id}/members…` do (adding someone who is a member changes their
/// role).
struct PartnershipMembersPage: Sendable {
    let service: PartnershipsService
    let templates: PartnershipTemplates

    func register(on pages: Pages) {
        let shell = pages.shell
        pages.signedIn.get("partnerships/:id/members") { _, context in
            try await show(context, shell: shell, typed: (nil, nil), errors: [], status: .ok)
        }
        pages.signedIn.post("partnerships/:id/members") { request, context in
            try await add(request, context, shell: shell)
        }
        pages.signedIn.post("partnerships/:id/members/:userId/remove") { _, context in
            try await remove(context)
        }
    }

    func show(
        _ context: GatewayRequestContext, shell: PageShell, typed: (userID: String?, role: String?),
        errors: [PartnershipForm.FieldError], status: HTTPResponse.Status
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let id = try PartnershipRequest.pathID(context)
        let record = try await service.partnership(id, access: access, on: connection)
        let language = shell.language(context)
        let words = PartnershipPageWords.all[language]
        let names = try await service.people.people(record.members.map(\.userId), on: connection)
        func roles(_ selected: String?) -> [[String: Any]] {
            PartnershipTemplates.options(
                PartnershipRole.allCases.map { ($0.rawValue, words.roles($0)) }, selected: selected)
        }
        var object = templates.base(context, words: words)
        object.merge(templates.errorSummary(errors, words: words, order: ["userId", "role"])) { _, new in new }
        let heading = words.membersHeading.replacingOccurrences(of: "{title}", with: record.title)
        object["heading"] = heading
        object["id"] = PartnershipTemplates.text(record.id)
        object["canWrite"] = access.canWrite
        object["members"] = record.members.map { member -> [String: Any] in
            let name = names[member.userId]?.name ?? "?"
            return [
                "userId": PartnershipTemplates.text(member.userId), "name": name,
                "roleName": words.roles(member.role), "roles": roles(member.role.rawValue),
                "roleOf": words.roleOf.replacingOccurrences(of: "{name}", with: name),
                "removeLabel": words.remove.replacingOccurrences(of: "{name}", with: name),
            ]
        }
        object["hasMembers"] = !record.members.isEmpty
        if access.canWrite {
            var messages: [String: String] = [:]
            for error in errors where messages[error.field] == nil { messages[error.field] = words.message(error) }
            func field(_ name: String, _ label: String) -> [String: Any] {
                var field: [String: Any] = ["name": name, "label": label]
                if let message = messages[name] {
                    field["error"] = message
                    field["describedBy"] = "\(name)-error"
                }
                return field
            }
            let members = Set(record.members.map(\.userId))
            let candidates = try await service.people.users(on: connection).filter { !members.contains($0.id) }
            var user = field("userId", words.user)
            user["options"] = PartnershipTemplates.options(
                candidates.map { (PartnershipTemplates.text($0.id), "\($0.name) (\($0.email))") },
                selected: typed.userID)
            object["userField"] = user
            var role = field("role", words.role)
            role["options"] = roles(typed.role ?? PartnershipRole.coordinator.rawValue)
            object["roleField"] = role
        }
        let title = errors.isEmpty ? heading : "\(words.errorSummary): \(heading)"
        return shell.respond(
            title: title, content: templates.render(object, "members"), status: status, context: context)
    }

    /// Adds the chosen user with the chosen role, or changes a member's role; back to the list (303).
    func add(_ request: Request, _ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let form = PageForm(try await PartnershipPages.body(request))
        let typed = (userID: form["userId"], role: form["role"])
        do {
            let userID = UUID(uuidString: typed.userID ?? "")
            _ = try await service.addMember(
                try Self.member(userID, role: typed.role ?? ""), to: id, access: access,
                on: try context.requireConnection())
            return PageRedirect.seeOther("/partnerships/\(PartnershipTemplates.text(id))/members")
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await show(
                context, shell: shell, typed: typed, errors: PartnershipForm.serviceErrors(problem.errors ?? []),
                status: .unprocessableContent)
        }
    }

    /// The member to add; a user that is no id is refused as the API refuses a `userId` it cannot read.
    static func member(_ userID: UUID?, role: String) throws -> NewMember {
        guard let userID else {
            var errors = [Problem.FieldError(field: "userId", message: "must be a user's id")]
            errors += FieldCheck.oneOf(role, PartnershipRules.memberRoles, field: "role")
            throw Problem.validation(errors)
        }
        return NewMember(userId: userID, role: role)
    }

    func remove(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let userID = try PartnershipRequest.pathID(context, "userId")
        try await service.removeMember(userID, from: id, access: access, on: try context.requireConnection())
        return PageRedirect.seeOther("/partnerships/\(PartnershipTemplates.text(id))/members")
    }
}
