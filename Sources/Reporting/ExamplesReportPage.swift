import Foundation
import Gateway
import Mustache
import Vocabulary

/// The annex of examples as a printable page (`GET /api/v1/platform/reports/examples?format=html`,
/// `/platform/examples`): per municipality a heading, per published partnership its partner and country, public
/// story and showcase address, its matching activities and its published lessons by side, each in its own
/// language (`lang`); in the reader's language, dated in UTC. The results report's page is the model.
struct ExamplesReportPage {
    var report: ExamplesReport
    var language: Language
    var generatedAt: Date

    func render(with templates: ReportTemplates) -> String {
        templates.examples.render(context(policy: templates.policy))
    }

    func context(policy: PageSecurityPolicy) -> [String: Any] {
        let words = ExamplesWords.all[language]
        let locale = Locale(identifier: ReportWords.of(language).localeIdentifier)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        func day(_ text: String?) -> String? {
            guard let text else { return nil }
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3,
                let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
            else { return text }
            return date.formatted(Date.FormatStyle(date: .long, time: .omitted, locale: locale, timeZone: .gmt))
        }
        func paragraphs(_ text: String) -> [String] {
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        let municipalities = report.municipalities.map { entry -> [String: Any] in
            [
                "name": entry.municipality.name,
                "partnerships": entry.partnerships.map { partnership -> [String: Any] in
                    let country =
                        locale.localizedString(forRegionCode: partnership.partner.country)
                        ?? partnership.partner.country
                    let sides: [(LessonSide, String)] = [
                        (.flemishMunicipality, entry.municipality.name),
                        (.partnerMunicipality, partnership.partner.name),
                    ]
                    return [
                        "title": partnership.title,
                        "partner": words.with(partnership.partner.name, country),
                        "showcase": partnership.showcase,
                        "story": paragraphs(partnership.story),
                        "activities": partnership.activities.map { activity -> [String: Any] in
                            let dates = [day(activity.startsOn), day(activity.endsOn)].compactMap { $0 }
                            var item: [String: Any] = [
                                "title": activity.title, "dates": dates.joined(separator: " – "),
                                "kind": ActivityKind(rawValue: activity.kind)?.name(in: language) ?? activity.kind,
                                "direction": LearningDirection(rawValue: activity.direction)?.name(in: language)
                                    ?? activity.direction,
                                "goals": activity.sdgGoals.map(String.init).joined(separator: ", "),
                            ]
                            if let participants = activity.participants {
                                item["participants"] = participants.formatted(.number.locale(locale))
                            }
                            return item
                        },
                        "hasActivities": !partnership.activities.isEmpty,
                        "sides": sides.compactMap { side, name -> [String: Any]? in
                            let lessons = partnership.lessons.filter { $0.side == side.rawValue }
                            guard !lessons.isEmpty else { return nil }
                            return [
                                "heading": words.learnt(name),
                                "lessons": lessons.map { lesson -> [String: Any] in
                                    [
                                        "title": lesson.title, "language": lesson.language,
                                        "activity": lesson.activity, "body": paragraphs(lesson.body),
                                    ]
                                },
                            ]
                        },
                    ]
                },
            ]
        }
        var summary: [String] = []
        if let theme = report.theme { summary.append(theme) }
        if let year = report.year { summary.append(String(year)) }
        var context: [String: Any] = [
            "language": language.rawValue, "policy": policy.metaContent, "words": words.context,
            "generatedAt": generatedAt.formatted(
                Date.FormatStyle(date: .long, time: .shortened, locale: locale, timeZone: .gmt)),
            "municipalities": municipalities,
        ]
        if !summary.isEmpty { context["filter"] = ["summary": summary.joined(separator: " · ")] }
        return context
    }
}

/// The annex's words in one language, on its page and in the `/platform` form; every language has every word.
struct ExamplesWords: Sendable {
    var title: String
    var generated: String
    var intro: String
    /// "with Dogbo, Benin": the partner and its country.
    var with: @Sendable (_ partner: String, _ country: String) -> String
    var showcase: String
    var activities: String
    var activity: String
    var dates: String
    var kind: String
    var direction: String
    var participants: String
    var goals: String
    /// "What Dogbo learnt": the heading of one side's lessons.
    var learnt: @Sendable (_ name: String) -> String
    var learntIn: String
    var none: String
    /// The `/platform` section: its heading, what it is, and the three ways to have it.
    var section: String
    var sectionIntro: String
    var page: String
    var csv: String
    var json: String

    var context: [String: String] {
        [
            "title": title, "generated": generated, "intro": intro, "showcase": showcase, "activities": activities,
            "activity": activity, "dates": dates, "kind": kind, "direction": direction, "participants": participants,
            "goals": goals, "learntIn": learntIn, "none": none,
        ]
    }

    static let all = Localised(
        nl: ExamplesWords(
            title: "Voorbeelden van stedenbanden", generated: "Gemaakt op",
            intro: "Alleen wat de gemeenten publiceerden: gepubliceerde stedenbanden en lessen, zoals op de etalage.",
            with: { "met \($0), \($1)" }, showcase: "Op de etalage", activities: "Activiteiten",
            activity: "Activiteit", dates: "Data", kind: "Soort", direction: "Leerrichting", participants: "Deelnemers",
            goals: "SDG's", learnt: { "Wat \($0) leerde" }, learntIn: "Geleerd in",
            none: "Geen gepubliceerde voorbeelden voor deze keuze.", section: "Bijlage met voorbeelden",
            sectionIntro:
                "De gepubliceerde stedenbanden per gemeente, met hun activiteiten en lessen: een bijlage voor een gemeenteraad of een ministerie. Laat thema en jaar leeg voor alles.",
            page: "Pagina om af te drukken", csv: "Voor een rekenblad (CSV)", json: "Gegevens (JSON)"),
        en: ExamplesWords(
            title: "Examples of municipal partnerships", generated: "Generated on",
            intro: "Only what the municipalities published: published partnerships and lessons, as on the showcase.",
            with: { "with \($0), \($1)" }, showcase: "On the showcase", activities: "Activities",
            activity: "Activity", dates: "Dates", kind: "Kind", direction: "Learning direction",
            participants: "Participants", goals: "SDGs", learnt: { "What \($0) learnt" }, learntIn: "Learnt in",
            none: "No published examples for this choice.", section: "Annex of examples",
            sectionIntro:
                "The published partnerships per municipality, with their activities and lessons: an annex for a council or a ministry. Leave theme and year empty for everything.",
            page: "Page to print", csv: "For a spreadsheet (CSV)", json: "Data (JSON)"),
        fr: ExamplesWords(
            title: "Exemples de partenariats communaux", generated: "Établi le",
            intro:
                "Seulement ce que les communes ont publié : partenariats et leçons publiés, comme sur la vitrine.",
            with: { "avec \($0), \($1)" }, showcase: "Sur la vitrine", activities: "Activités",
            activity: "Activité", dates: "Dates", kind: "Type", direction: "Sens de l’apprentissage",
            participants: "Participants", goals: "ODD", learnt: { "Ce que \($0) a appris" }, learntIn: "Appris lors de",
            none: "Aucun exemple publié pour ce choix.", section: "Annexe d’exemples",
            sectionIntro:
                "Les partenariats publiés par commune, avec leurs activités et leurs leçons : une annexe pour un conseil communal ou un ministère. Laissez le thème et l’année vides pour tout.",
            page: "Page à imprimer", csv: "Pour un tableur (CSV)", json: "Données (JSON)"),
        es: ExamplesWords(
            title: "Ejemplos de hermanamientos municipales", generated: "Generado el",
            intro:
                "Solo lo que los municipios publicaron: hermanamientos y lecciones publicados, como en la vitrina.",
            with: { "con \($0), \($1)" }, showcase: "En la vitrina", activities: "Actividades",
            activity: "Actividad", dates: "Fechas", kind: "Tipo", direction: "Sentido del aprendizaje",
            participants: "Participantes", goals: "ODS", learnt: { "Lo que aprendió \($0)" }, learntIn: "Aprendido en",
            none: "Ningún ejemplo publicado para esta elección.", section: "Anexo de ejemplos",
            sectionIntro:
                "Los hermanamientos publicados por municipio, con sus actividades y lecciones: un anexo para un concejo municipal o un ministerio. Deje el tema y el año vacíos para verlo todo.",
            page: "Página para imprimir", csv: "Para una hoja de cálculo (CSV)", json: "Datos (JSON)"))
}
