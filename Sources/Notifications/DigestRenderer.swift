import Foundation
import Gateway
import Mustache

/// Renders digests with the templates in `Templates/` (swift-mustache): a text part and an HTML part.
struct DigestRenderer: Sendable {
    private let text: MustacheTemplate
    private let html: MustacheTemplate
    private let reminderText: MustacheTemplate
    private let reminderHTML: MustacheTemplate
    /// The policy of the HTML part shown as a page (the preview): e-mail is styled in `style=` attributes, as
    /// mail clients need; the policy allows exactly the template's own, which are constants.
    let htmlPolicy: PageSecurityPolicy

    /// Loads the templates shipped with the plugin.
    init() throws {
        func source(_ name: String) throws -> String {
            guard let text = EmbeddedFiles.text("Templates/\(name).mustache") else { throw TemplateMissing(name: name) }
            return text
        }
        text = try MustacheTemplate(string: source("digest.text"))
        let htmlSource = try source("digest.html")
        html = try MustacheTemplate(string: htmlSource)
        htmlPolicy = PageSecurityPolicy(styles: [], attributes: Self.styleAttributes(in: htmlSource))
        reminderText = try MustacheTemplate(string: source("reminder.text"))
        reminderHTML = try MustacheTemplate(string: source("reminder.html"))
    }

    /// Every `style="…"` value of a template (none holds a tag, so each renders as written).
    static func styleAttributes(in template: String) -> [String] {
        template.matches(of: #/style="([^"]*)"/#).map { String($0.output.1) }
    }

    struct TemplateMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "the template \(name).mustache is not embedded in the Notifications module" }
    }

    func renderText(_ digest: Digest) -> String { text.render(context(digest)) }

    func renderHTML(_ digest: Digest) -> String { html.render(context(digest)) }

    /// A reminder's own mail, text and HTML, from its words (``ReminderMessage``).
    func render(_ reminder: ReminderMessage) -> (text: String, html: String) {
        let context: [String: Any] = [
            "locale": reminder.locale, "subject": reminder.subject, "greeting": reminder.greeting,
            "line": reminder.line, "actionLabel": reminder.actionLabel, "link": reminder.link,
            "footer": reminder.footer, "settingsLabel": reminder.settingsLabel, "settingsLink": reminder.settingsLink,
            "unsubscribeLabel": reminder.unsubscribeLabel, "unsubscribeLink": reminder.unsubscribeLink,
        ]
        return (reminderText.render(context), reminderHTML.render(context))
    }

    /// The digest as the templates see it: dictionaries and arrays, optional values left out.
    private func context(_ digest: Digest) -> [String: Any] {
        var context: [String: Any] = [
            "locale": digest.locale, "subject": digest.subject, "greeting": digest.greeting, "intro": digest.intro,
            "footer": digest.footer, "settingsLabel": digest.settingsLabel, "settingsLink": digest.settingsLink,
            "unsubscribeLabel": digest.unsubscribeLabel,
            "sections": digest.sections.map { section -> [String: Any] in
                var value: [String: Any] = [
                    "title": section.title, "summary": section.summary, "link": section.link,
                    "groups": section.groups.map { group -> [String: Any] in
                        var value: [String: Any] = [
                            "lines": group.lines.map { ["text": $0.text, "time": $0.time] }
                        ]
                        if let activity = group.activity { value["activity"] = activity }
                        if let link = group.link { value["activityLink"] = link }
                        return value
                    },
                ]
                if let more = section.more { value["more"] = more }
                return value
            },
        ]
        if let link = digest.unsubscribeLink { context["unsubscribeLink"] = link }
        return context
    }
}
