import Foundation
import Gateway
import Hummingbird
import PartnershipsContracts
import Vocabulary

/// `/partnerships/{id}/members`: the members with their roles; for those who may write, a form per member to
/// change their role or remove them, and one to add a user of the municipality. Each goes through
/// ``PartnershipsService/addMember(_:to:access:on:)`` and ``PartnershipsService/removeMember(_:from:access:on:)``,
/// as `POST` and `DELETE /api/v1/partnerships/{id}/members…` do (adding someone who is a member changes their
/// role). Those who may write also invite a partner coordinator (made a member at once) or a viewer by e-mail,
/// through the gateway's ``Invitations`` and ``PartnershipsService/addMember(_:to:access:on:)`` in one
/// transaction.
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
        let invitations = pages.invitations
        pages.signedIn.post("partnerships/:id/members/invite") { request, context in
            try await invite(request, context, shell: shell, invitations: invitations)
        }
    }

    /// Where `/admin/users` finds the partnerships (for its invite form and each partner coordinator's) and
    /// adds an invited partner coordinator: this plugin's service, with the request's access.
    static func provideDirectory(_ directory: PartnershipDirectory, service: PartnershipsService) {
        directory.provide(
            list: { context in
                let access = try TenantAccess(context)
                let connection = try context.requireConnection()
                var entries: [PartnershipDirectory.Entry] = []
                var after: (date: Date, id: UUID)?
                repeat {
                    let page = try await service.list(
                        PartnershipFilter(), limit: 200, after: after, access: access, on: connection)
                    entries += page.items.map { .init(id: $0.id, title: $0.title, members: $0.members.map(\.userId)) }
                    after = page.nextCursor == nil ? nil : page.items.last.map { ($0.createdAt, $0.id) }
                } while after != nil
                return entries
            },
            addPartnerCoordinator: { user, partnership, context in
                _ = try await service.addMember(
                    NewMember(userId: user, role: PartnershipRole.partnerCoordinator.rawValue), to: partnership,
                    access: try TenantAccess(context), on: try context.requireConnection())
            })
    }

    /// Invites a partner coordinator (made a member) or a viewer by e-mail; back to the list (303). The
    /// invitation and the membership share the request's transaction: if either is refused, neither is kept.
    func invite(
        _ request: Request, _ context: GatewayRequestContext, shell: PageShell, invitations: Invitations
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let connection = try context.requireConnection()
        _ = try await service.partnership(id, access: access, lock: true, on: connection)
        try access.requireWrite("partnerships")
        let form = try await PageForm.read(request)
        var typed = AdminUsersInviteForm.request(form, partnershipID: nil)
        if typed.role == Identity.Role.partnerCoordinator.rawValue { typed.partnershipID = id }
        do {
            let issued = try await invitations.invite(typed, by: access, on: connection)
            if typed.role == Identity.Role.partnerCoordinator.rawValue {
                _ = try await service.addMember(
                    NewMember(userId: issued.userID, role: PartnershipRole.partnerCoordinator.rawValue), to: id,
                    access: access, on: connection)
            }
            context.page?.afterCommit.add { await invitations.deliver(issued) }
            return PageRedirect.seeOther("/partnerships/\(PartnershipTemplates.text(id))/members")
        } catch let refusal as Invitations.Refusal {
            return try await show(
                context, shell: shell, typed: (nil, nil), errors: [], status: .unprocessableContent,
                invitation: (typed, refusal.errors))
        }
    }

    func show(
        _ context: GatewayRequestContext, shell: PageShell, typed: (userID: String?, role: String?),
        errors: [PartnershipForm.FieldError], status: HTTPResponse.Status,
        invitation: (typed: Invitations.Request, errors: [(field: String, reason: Invitations.Reason)])? = nil
    ) async throws -> Response {
        let access = try TenantAccess(context)
        let connection = try context.requireConnection()
        let id = try PartnershipRequest.pathID(context)
        let record = try await service.partnership(id, access: access, on: connection)
        let language = shell.language(context)
        let words = PartnershipPageWords.all[language]
        let names = try await service.people.people(record.members.map(\.userId), on: connection)
        let invited = try await service.people.invited(among: record.members.map(\.userId), on: connection)
        let invitedWord = AdminUsersWords.of(language).statusInvited
        func roles(_ selected: String?) -> [[String: Any]] {
            PartnershipTemplates.options(
                PartnershipRole.allCases.map { ($0.rawValue, words.roles($0)) }, selected: selected)
        }
        var object = templates.base(context, words: words)
        object.merge(templates.errorSummary(errors, words: words, order: ["userId", "role"])) { _, new in new }
        if let invitation, !invitation.errors.isEmpty {
            object["errorSummary"] =
                [
                    "title": words.errorSummary,
                    "items": AdminUsersInviteForm.summaryItems(
                        invitation.errors, language: language, idPrefix: "invite-"),
                ] as [String: Any]
        }
        let heading = words.membersHeading.replacingOccurrences(of: "{title}", with: record.title)
        object["heading"] = heading
        object["id"] = PartnershipTemplates.text(record.id)
        object["canWrite"] = access.canWrite
        object["members"] = record.members.map { member -> [String: Any] in
            let name = names[member.userId]?.name ?? "?"
            var row: [String: Any] = [
                "userId": PartnershipTemplates.text(member.userId), "name": name,
                "roleName": words.roles(member.role), "roles": roles(member.role.rawValue),
                "roleOf": words.roleOf.replacingOccurrences(of: "{name}", with: name),
                "removeLabel": words.remove.replacingOccurrences(of: "{name}", with: name),
            ]
            // Made at invitation and not yet signed in (as /admin/users marks them).
            if invited.contains(member.userId) { row["invited"] = invitedWord }
            return row
        }
        object["hasMembers"] = !record.members.isEmpty
        if access.canWrite {
            var messages: [String: String] = [:]
            for error in errors where messages[error.field] == nil { messages[error.field] = words.message(error) }
            func field(_ name: String, _ label: String) -> [String: Any] {
                var field: [String: Any] = ["name": name, "label": label]
                PageField.describe(&field, id: name, error: messages[name])
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
            let inviteWords = AdminUsersWords.of(language)
            let municipality = try await service.people.municipality(access.tenantID, on: connection)
            object["invite"] = [
                "heading": inviteWords.memberInviteHeading, "intro": inviteWords.memberInviteIntro,
                "form": AdminUsersInviteForm.render(
                    action: "/partnerships/\(PartnershipTemplates.text(record.id))/members/invite",
                    roles: Invitations.roles(invitableBy: access.identity.role).filter {
                        $0 == .partnerCoordinator || $0 == .viewer
                    }, partnerships: nil, typed: invitation?.typed, errors: invitation?.errors ?? [],
                    language: language, defaultLocale: municipality?.defaultLocale ?? Language.fallback.rawValue,
                    csrf: context.page?.csrfToken ?? "", idPrefix: "invite-"),
            ]
        }
        let failed = !errors.isEmpty || !(invitation?.errors.isEmpty ?? true)
        let title = !failed ? heading : "\(words.errorSummary): \(heading)"
        return shell.respond(
            title: title, content: templates.render(object, "members"), status: status, context: context)
    }

    /// Adds the chosen user with the chosen role, or changes a member's role; back to the list (303).
    func add(_ request: Request, _ context: GatewayRequestContext, shell: PageShell) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try PartnershipRequest.pathID(context)
        let form = try await PageForm.read(request)
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
