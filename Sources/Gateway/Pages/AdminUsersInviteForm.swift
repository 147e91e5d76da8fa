import Foundation
import Mustache
import Vocabulary

/// The "invite by e-mail" form, as `/admin/users` and a partnership's members page show it: e-mail, name, role,
/// (on `/admin/users`) the partnership, and the invitee's language, with the GOV.UK error pattern. Field names
/// are the JSON API's (`email`, `name`, `role`, `partnershipId`, `locale`).
public enum AdminUsersInviteForm {
    /// The gateway's people templates (`admin-users`, `invite-form`, `invitation`), loaded once.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for name in ["admin-users", "invite-form", "invitation"] {
            guard let text = EmbeddedFiles.text("Pages/Templates/\(name).mustache") else {
                preconditionFailure("Templates/\(name).mustache is missing from the Gateway's embedded files")
            }
            try! library.register(text, named: name)
        }
        return library
    }()

    /// The form's HTML.
    ///
    /// - Parameters:
    ///   - action: The path it posts to.
    ///   - roles: The roles the person may invite, in order (the first is chosen when nothing was typed).
    ///   - partnerships: The partnerships to choose from; `nil` leaves the field out (the members page's form
    ///     invites to its own partnership).
    ///   - typed: What was posted, kept on a refusal.
    ///   - errors: The refused fields.
    ///   - defaultLocale: The municipality's language, chosen when nothing was typed.
    ///   - idPrefix: Put before each field's id, where the page has other forms with fields of the same names.
    public static func render(
        action: String, roles: [Identity.Role], partnerships: [(id: UUID, title: String)]?,
        typed: Invitations.Request?, errors: [(field: String, reason: Invitations.Reason)], language: Language,
        defaultLocale: String, csrf: String, idPrefix: String = ""
    ) -> String {
        let words = AdminUsersWords.of(language)
        var messages: [String: String] = [:]
        for error in errors where messages[error.field] == nil { messages[error.field] = words.message(error.reason) }
        func field(_ name: String, _ label: String, hint: String? = nil) -> [String: Any] {
            let id = idPrefix + name
            var field: [String: Any] = ["name": name, "id": id, "label": label]
            PageField.describe(&field, id: id, hint: hint, error: messages[name])
            return field
        }
        func options(_ choices: [(String, String)], selected: String?) -> [[String: Any]] {
            choices.map { ["code": $0.0, "name": $0.1, "selected": $0.0 == selected] }
        }
        var email = field("email", words.email)
        email.merge(["isText": true, "type": "email", "value": typed?.email ?? ""]) { _, new in new }
        var name = field("name", words.name)
        name.merge(["isText": true, "type": "text", "value": typed?.name ?? ""]) { _, new in new }
        var role = field("role", words.role)
        role["options"] = options(
            roles.map { ($0.rawValue, words.roleName($0)) }, selected: typed?.role ?? roles.first?.rawValue)
        var fields = [email, name, role]
        if let partnerships {
            var partnership = field("partnershipId", words.partnership, hint: words.partnershipHint)
            partnership["options"] = options(
                [("", words.noPartnership)] + partnerships.map { ($0.id.uuidString.lowercased(), $0.title) },
                selected: typed?.partnershipID?.uuidString.lowercased() ?? "")
            fields.append(partnership)
        }
        var locale = field("locale", words.language)
        locale["options"] = options(
            Language.allCases.map { ($0.rawValue, PageWords.languageName($0)) },
            selected: typed?.locale ?? defaultLocale)
        fields.append(locale)
        let object: [String: Any] = [
            "action": action, "csrf": csrf, "fields": fields, "sendLabel": words.sendInvitation, "prefix": idPrefix,
        ]
        return library.render(object, withTemplate: "invite-form") ?? ""
    }

    /// The error summary's items (`field`, `message`) for the refused fields, in the form's order.
    public static func summaryItems(
        _ errors: [(field: String, reason: Invitations.Reason)], language: Language, idPrefix: String = ""
    ) -> [[String: Any]] {
        let words = AdminUsersWords.of(language)
        let order = ["email", "name", "role", "partnershipId", "locale"]
        var seen: Set<String> = []
        return errors.sorted { (order.firstIndex(of: $0.field) ?? 9) < (order.firstIndex(of: $1.field) ?? 9) }
            .filter { seen.insert($0.field).inserted }
            .map { ["field": idPrefix + $0.field, "message": words.message($0.reason)] }
    }

    /// The invitation as posted: a form's fields by their JSON names.
    public static func request(_ form: PageForm, partnershipID: UUID?) -> Invitations.Request {
        Invitations.Request(
            email: form["email"] ?? "", name: form["name"] ?? "", role: form["role"] ?? "",
            locale: form["locale"] ?? "", partnershipID: partnershipID)
    }
}
