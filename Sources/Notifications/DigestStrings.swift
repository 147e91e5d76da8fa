import ActivitiesContracts
import Foundation
import Vocabulary

/// The words of a digest in one language. Every language has every string: the compiler checks it.
struct DigestStrings: Sendable {
    /// The language of the words; statuses are named in it (``ActivityStatus/name(in:)``).
    var language: Language
    /// The locale formats follow: `nl` writes money as `€ 12.500,00`, as in Belgium.
    var formattingLocale: Locale
    var greeting: @Sendable (String) -> String
    /// "what changed between {start} and {end} in your partnerships".
    var intro: @Sendable (String, String) -> String
    /// The subject: the number of changes and the partnerships' titles.
    var subject: @Sendable (Int, String) -> String
    var more: @Sendable (Int) -> String
    var viewAll: String
    var settings: String
    var unsubscribe: String
    var unsubscribeConfirm: String
    var unsubscribeDone: String
    var footer: @Sendable (String) -> String
    /// A kind of change counted n times: "3 activities recorded".
    var count: @Sendable (String, Int) -> String
    /// One change's line; an activity's changes are listed under its title, so their lines leave it out.
    var line: @Sendable (InboxItem, _ format: (Budget) -> String, _ name: (UUID?) -> String) -> String
    var fields: [String: String]

    /// Every language's words.
    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)

    /// The words for a recipient's locale; English for one the product does not speak.
    static func of(_ locale: String) -> DigestStrings { all[code: locale] }

    /// A status as the inbox keeps it (an activity's or a partnership's), in words; unknown ones as they are.
    func status(_ value: String?) -> String {
        guard let value else { return "" }
        if let status = ActivityStatus(rawValue: value) { return status.name(in: language) }
        if let status = PartnershipStatus(rawValue: value) { return status.name(in: language) }
        return value
    }
    /// An indicator's value as the reader writes numbers (`74,5` in Dutch, French and Spanish), a percentage
    /// with its sign as the language sets it (`74%` in English and Dutch, `74 %` in French and Spanish).
    func value(_ text: String?, _ item: InboxItem) -> String {
        guard let text else { return "" }
        let number =
            Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).map {
                $0.formatted(.number.locale(formattingLocale))
            } ?? text
        guard item.measure == "percentage" else { return number }
        return language == .fr || language == .es ? number + "\u{00A0}%" : number + "%"
    }

    /// The value, or for a qualitative indicator (or a value left empty) its comment, quoted.
    func valueOrComment(_ item: InboxItem) -> String {
        guard item.measure != "qualitative", item.value != nil else { return "“\(item.comment ?? "")”" }
        return value(item.value, item)
    }

    /// Who reported: the partner municipality when its side did (the issue's "Dogbo reported 87 %"), else the
    /// person, by their name as it is when the digest is sent.
    func reporter(_ item: InboxItem, _ name: (UUID?) -> String) -> String {
        if item.reporterSide == "partner", let partner = item.partnerName, !partner.isEmpty { return partner }
        return name(item.reporterId)
    }

    /// A period that is one calendar year as its year (`2020`), else its two dates.
    func period(_ item: InboxItem) -> String {
        guard let start = item.periodStart, let end = item.periodEnd else { return "" }
        return CalendarDate.period(start, end)
    }

    /// A calendar day as the reader writes dates: `31 December 2026`, `31 december 2026`, `31 décembre 2026`.
    func date(_ day: CalendarDate?) -> String {
        guard let day else { return "" }
        return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86_400).formatted(
            Date.FormatStyle(date: .long, time: .omitted, locale: formattingLocale, timeZone: .gmt))
    }

    /// A name the inbox kept, `nil` when it kept none (a lesson event that did not name the partner).
    func known(_ name: String?) -> String? {
        guard let name, !name.isEmpty else { return nil }
        return name
    }

    /// Whether a lesson line is about the partner municipality's side, or written by its coordinator.
    func partnerSide(_ item: InboxItem) -> Bool { item.lessonSide == LessonSide.partnerMunicipality.rawValue }
    func byPartnerCoordinator(_ item: InboxItem) -> Bool {
        item.authorRole == PartnershipRole.partnerCoordinator.rawValue
    }

    func fieldList(_ names: [String]?) -> String {
        (names ?? []).map { fields[$0] ?? $0 }.formatted(.list(type: .and).locale(formattingLocale))
    }
}

extension DigestStrings {
    static let english: DigestStrings = DigestStrings(
        language: .en,
        formattingLocale: Locale(identifier: "en_GB"),
        greeting: { "Hello \($0)," },
        intro: { "This is what changed in your partnerships between \($0) and \($1)." },
        subject: { count, titles in "\(count) \(count == 1 ? "change" : "changes") in \(titles)" },
        more: { "and \($0) more" },
        viewAll: "View all",
        settings: "Change how often you receive these messages",
        unsubscribe: "Unsubscribe",
        unsubscribeConfirm: "Stop receiving these digests?",
        unsubscribeDone: "You will no longer receive these digests.",
        footer: { "You receive this digest as a member of partnerships of \($0) on stedenband." },
        count: { kind, n in
            let words: [String: (String, String)] = [
                "partnership_created": ("partnership registered", "partnerships registered"),
                "partnership_updated": ("partnership change", "partnership changes"),
                "partnership_status_changed": ("status change", "status changes"),
                "partnership_member_added": ("member added", "members added"),
                "partnership_member_removed": ("member removed", "members removed"),
                "partnership_deleted": ("partnership deleted", "partnerships deleted"),
                "activity_recorded": ("activity recorded", "activities recorded"),
                "activity_updated": ("activity change", "activity changes"),
                "activity_status_changed": ("activity status change", "activity status changes"),
                "activity_budget_changed": ("budget change", "budget changes"),
                "activity_update_posted": ("progress update", "progress updates"),
                "activity_deleted": ("activity deleted", "activities deleted"),
                "indicator_defined": ("indicator defined", "indicators defined"),
                "value_reported": ("value reported", "values reported"),
                "value_approved": ("value approved", "values approved"),
                "value_returned": ("value returned", "values returned"),
                "lesson_written": ("lesson written", "lessons written"),
                "lesson_shared": ("lesson shared", "lessons shared"),
                "lesson_published": ("lesson published", "lessons published"),
                "reminder_quiet": ("reminder", "reminders"),
                "reminder_period_ending": ("period ending", "periods ending"),
            ]
            let (one, other) = words[kind] ?? (kind, kind)
            return "\(n) \(n == 1 ? one : other)"
        },
        line: { item, money, name in
            let s = DigestStrings.english
            switch item.kind {
            case "partnership_created": return "The partnership \(item.partnershipTitle) was registered"
            case "partnership_updated": return "Changed: \(s.fieldList(item.changedFields))"
            case "partnership_status_changed":
                return "Status: \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "partnership_member_added": return "\(name(item.memberId)) joined the partnership"
            case "partnership_member_removed": return "\(name(item.memberId)) left the partnership"
            case "partnership_deleted": return "The partnership was deleted"
            case "activity_recorded": return "Recorded" + (item.budget.map { ", budget \(money($0))" } ?? "")
            case "activity_updated": return "Changed: \(s.fieldList(item.changedFields))"
            case "activity_status_changed": return "Status: \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "activity_budget_changed": return "Budget now \(item.budget.map(money) ?? "none")"
            case "activity_update_posted": return "“\(item.text ?? "")”"
            case "activity_deleted": return "Deleted"
            case "indicator_defined": return "New indicator: \(item.indicatorTitle ?? "")"
            case "value_reported":
                let who = s.reporter(item, name)
                let indicator = item.indicatorTitle ?? ""
                guard item.measure != "qualitative", item.value != nil else {
                    return "\(who) reported on \(indicator): “\(item.comment ?? "")”"
                }
                return "\(who) reported \(s.value(item.value, item)) for \(indicator)"
                    + (item.target.map { ", target \(s.value($0, item))" } ?? "")
            case "value_approved":
                return "Approved: \(s.valueOrComment(item)) for \(item.indicatorTitle ?? "") (\(s.period(item)))"
            case "value_returned":
                return
                    "Returned for correction: \(item.indicatorTitle ?? "") (\(s.period(item))): “\(item.comment ?? "")”"
            case "lesson_written":
                let partner = s.known(item.partnerName)
                let who =
                    s.byPartnerCoordinator(item)
                    ? partner.map { "\($0)’s partner coordinator" } ?? "The partner coordinator" : name(item.authorId)
                let side =
                    s.partnerSide(item)
                    ? partner ?? "the partner municipality" : s.known(item.municipalityName) ?? "the municipality"
                return "\(who) wrote what \(side) learnt: “\(item.lessonTitle ?? "")”"
            case "lesson_shared":
                return
                    "\(s.known(item.municipalityName) ?? "The municipality") shared “\(item.lessonTitle ?? "")” with the other municipalities"
                    + (item.published == true ? " and published it on the showcase" : "")
            case "lesson_published":
                return
                    "\(s.known(item.municipalityName) ?? "The municipality") published “\(item.lessonTitle ?? "")” on the showcase"
            case "reminder_quiet":
                return "Nothing was posted or reported in \(item.partnershipTitle) for \(item.days ?? 0) days"
            case "reminder_period_ending":
                return
                    "\(item.indicatorTitle ?? ""): the period \(s.period(item)) ends on \(s.date(item.periodEnd)) and has no value yet"
            default: return item.kind
            }
        },
        fields: [
            "title": "title", "description": "description", "kind": "kind", "status": "status",
            "startsOn": "start date", "endsOn": "end date", "direction": "learning direction",
            "sdgTargets": "SDG targets", "themes": "themes", "budget": "budget", "fundingSource": "funding",
            "participants": "participants", "results": "results", "partner": "partner", "startedOn": "start date",
            "endedOn": "end date", "sdgFocus": "SDG focus",
        ]
    )

    static let dutch: DigestStrings = DigestStrings(
        language: .nl,
        formattingLocale: Locale(identifier: "nl_BE"),
        greeting: { "Dag \($0)," },
        intro: { "Dit veranderde in je partnerschappen tussen \($0) en \($1)." },
        subject: { count, titles in "\(count) \(count == 1 ? "wijziging" : "wijzigingen") in \(titles)" },
        more: { "en nog \($0)" },
        viewAll: "Alles bekijken",
        settings: "Kies hoe vaak je deze berichten ontvangt",
        unsubscribe: "Uitschrijven",
        unsubscribeConfirm: "Wil je deze overzichten niet langer ontvangen?",
        unsubscribeDone: "Je ontvangt deze overzichten niet langer.",
        footer: { "Je ontvangt dit overzicht als lid van partnerschappen van \($0) op stedenband." },
        count: { kind, n in
            let words: [String: (String, String)] = [
                "partnership_created": ("partnerschap geregistreerd", "partnerschappen geregistreerd"),
                "partnership_updated": ("wijziging aan het partnerschap", "wijzigingen aan het partnerschap"),
                "partnership_status_changed": ("statuswijziging", "statuswijzigingen"),
                "partnership_member_added": ("lid toegevoegd", "leden toegevoegd"),
                "partnership_member_removed": ("lid verwijderd", "leden verwijderd"),
                "partnership_deleted": ("partnerschap verwijderd", "partnerschappen verwijderd"),
                "activity_recorded": ("activiteit geregistreerd", "activiteiten geregistreerd"),
                "activity_updated": ("wijziging aan een activiteit", "wijzigingen aan activiteiten"),
                "activity_status_changed": ("statuswijziging van een activiteit", "statuswijzigingen van activiteiten"),
                "activity_budget_changed": ("budgetwijziging", "budgetwijzigingen"),
                "activity_update_posted": ("voortgangsbericht", "voortgangsberichten"),
                "activity_deleted": ("activiteit verwijderd", "activiteiten verwijderd"),
                "indicator_defined": ("indicator toegevoegd", "indicatoren toegevoegd"),
                "value_reported": ("waarde gerapporteerd", "waarden gerapporteerd"),
                "value_approved": ("waarde goedgekeurd", "waarden goedgekeurd"),
                "value_returned": ("waarde teruggestuurd", "waarden teruggestuurd"),
                "lesson_written": ("les geschreven", "lessen geschreven"),
                "lesson_shared": ("les gedeeld", "lessen gedeeld"),
                "lesson_published": ("les gepubliceerd", "lessen gepubliceerd"),
                "reminder_quiet": ("herinnering", "herinneringen"),
                "reminder_period_ending": ("periode loopt af", "periodes lopen af"),
            ]
            let (one, other) = words[kind] ?? (kind, kind)
            return "\(n) \(n == 1 ? one : other)"
        },
        line: { item, money, name in
            let s = DigestStrings.dutch
            switch item.kind {
            case "partnership_created": return "Het partnerschap \(item.partnershipTitle) werd geregistreerd"
            case "partnership_updated": return "Gewijzigd: \(s.fieldList(item.changedFields))"
            case "partnership_status_changed":
                return "Status: \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "partnership_member_added": return "\(name(item.memberId)) werd lid van het partnerschap"
            case "partnership_member_removed": return "\(name(item.memberId)) is geen lid meer"
            case "partnership_deleted": return "Het partnerschap werd verwijderd"
            case "activity_recorded": return "Geregistreerd" + (item.budget.map { ", budget \(money($0))" } ?? "")
            case "activity_updated": return "Gewijzigd: \(s.fieldList(item.changedFields))"
            case "activity_status_changed": return "Status: \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "activity_budget_changed": return "Budget nu \(item.budget.map(money) ?? "geen")"
            case "activity_update_posted": return "“\(item.text ?? "")”"
            case "activity_deleted": return "Verwijderd"
            case "indicator_defined": return "Nieuwe indicator: \(item.indicatorTitle ?? "")"
            case "value_reported":
                let who = s.reporter(item, name)
                let indicator = item.indicatorTitle ?? ""
                guard item.measure != "qualitative", item.value != nil else {
                    return "\(who) rapporteerde over \(indicator): “\(item.comment ?? "")”"
                }
                return "\(who) rapporteerde \(s.value(item.value, item)) voor \(indicator)"
                    + (item.target.map { ", streefwaarde \(s.value($0, item))" } ?? "")
            case "value_approved":
                return "Goedgekeurd: \(s.valueOrComment(item)) voor \(item.indicatorTitle ?? "") (\(s.period(item)))"
            case "value_returned":
                return
                    "Teruggestuurd ter verbetering: \(item.indicatorTitle ?? "") (\(s.period(item))): “\(item.comment ?? "")”"
            case "lesson_written":
                let partner = s.known(item.partnerName)
                let who =
                    s.byPartnerCoordinator(item)
                    ? partner.map { "De partnercoördinator van \($0)" } ?? "De partnercoördinator" : name(item.authorId)
                let side =
                    s.partnerSide(item)
                    ? partner ?? "de partnergemeente" : s.known(item.municipalityName) ?? "de gemeente"
                return "\(who) schreef wat \(side) leerde: “\(item.lessonTitle ?? "")”"
            case "lesson_shared":
                return
                    "\(s.known(item.municipalityName) ?? "De gemeente") deelde “\(item.lessonTitle ?? "")” met de andere gemeenten"
                    + (item.published == true ? " en publiceerde ze in de etalage" : "")
            case "lesson_published":
                return
                    "\(s.known(item.municipalityName) ?? "De gemeente") publiceerde “\(item.lessonTitle ?? "")” in de etalage"
            case "reminder_quiet":
                return "Al \(item.days ?? 0) dagen werd er niets gepost of gerapporteerd in \(item.partnershipTitle)"
            case "reminder_period_ending":
                return
                    "\(item.indicatorTitle ?? ""): de periode \(s.period(item)) eindigt op \(s.date(item.periodEnd)) en heeft nog geen waarde"
            default: return item.kind
            }
        },
        fields: [
            "title": "titel", "description": "beschrijving", "kind": "soort", "status": "status",
            "startsOn": "startdatum", "endsOn": "einddatum", "direction": "leerrichting",
            "sdgTargets": "SDG-subdoelen", "themes": "thema's", "budget": "budget", "fundingSource": "financiering",
            "participants": "deelnemers", "results": "resultaten", "partner": "partner", "startedOn": "startdatum",
            "endedOn": "einddatum", "sdgFocus": "SDG-focus",
        ]
    )

    static let french: DigestStrings = DigestStrings(
        language: .fr,
        formattingLocale: Locale(identifier: "fr_BE"),
        greeting: { "Bonjour \($0)," },
        intro: { "Voici ce qui a changé dans vos partenariats entre \($0) et \($1)." },
        subject: { count, titles in "\(count) \(count == 1 ? "modification" : "modifications") dans \(titles)" },
        more: { "et \($0) de plus" },
        viewAll: "Tout voir",
        settings: "Choisir la fréquence de ces messages",
        unsubscribe: "Se désabonner",
        unsubscribeConfirm: "Ne plus recevoir ces résumés ?",
        unsubscribeDone: "Vous ne recevrez plus ces résumés.",
        footer: { "Vous recevez ce résumé en tant que membre de partenariats de \($0) sur stedenband." },
        count: { kind, n in
            let words: [String: (String, String)] = [
                "partnership_created": ("partenariat enregistré", "partenariats enregistrés"),
                "partnership_updated": ("modification du partenariat", "modifications du partenariat"),
                "partnership_status_changed": ("changement de statut", "changements de statut"),
                "partnership_member_added": ("membre ajouté", "membres ajoutés"),
                "partnership_member_removed": ("membre retiré", "membres retirés"),
                "partnership_deleted": ("partenariat supprimé", "partenariats supprimés"),
                "activity_recorded": ("activité enregistrée", "activités enregistrées"),
                "activity_updated": ("modification d’activité", "modifications d’activités"),
                "activity_status_changed": ("changement de statut d’activité", "changements de statut d’activité"),
                "activity_budget_changed": ("changement de budget", "changements de budget"),
                "activity_update_posted": ("point d’avancement", "points d’avancement"),
                "activity_deleted": ("activité supprimée", "activités supprimées"),
                "indicator_defined": ("indicateur défini", "indicateurs définis"),
                "value_reported": ("valeur rapportée", "valeurs rapportées"),
                "value_approved": ("valeur approuvée", "valeurs approuvées"),
                "value_returned": ("valeur renvoyée", "valeurs renvoyées"),
                "lesson_written": ("leçon écrite", "leçons écrites"),
                "lesson_shared": ("leçon partagée", "leçons partagées"),
                "lesson_published": ("leçon publiée", "leçons publiées"),
                "reminder_quiet": ("rappel", "rappels"),
                "reminder_period_ending": ("période qui se termine", "périodes qui se terminent"),
            ]
            let (one, other) = words[kind] ?? (kind, kind)
            return "\(n) \(n == 1 ? one : other)"
        },
        line: { item, money, name in
            let s = DigestStrings.french
            switch item.kind {
            case "partnership_created": return "Le partenariat \(item.partnershipTitle) a été enregistré"
            case "partnership_updated": return "Modifié : \(s.fieldList(item.changedFields))"
            case "partnership_status_changed":
                return "Statut : \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "partnership_member_added": return "\(name(item.memberId)) a rejoint le partenariat"
            case "partnership_member_removed": return "\(name(item.memberId)) a quitté le partenariat"
            case "partnership_deleted": return "Le partenariat a été supprimé"
            case "activity_recorded": return "Enregistrée" + (item.budget.map { ", budget \(money($0))" } ?? "")
            case "activity_updated": return "Modifié : \(s.fieldList(item.changedFields))"
            case "activity_status_changed":
                return "Statut : \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "activity_budget_changed": return "Budget désormais \(item.budget.map(money) ?? "aucun")"
            case "activity_update_posted": return "« \(item.text ?? "") »"
            case "activity_deleted": return "Supprimée"
            case "indicator_defined": return "Nouvel indicateur : \(item.indicatorTitle ?? "")"
            case "value_reported":
                let who = s.reporter(item, name)
                let indicator = item.indicatorTitle ?? ""
                guard item.measure != "qualitative", item.value != nil else {
                    return "\(who) a rapporté sur \(indicator) : « \(item.comment ?? "") »"
                }
                return "\(who) a rapporté \(s.value(item.value, item)) pour \(indicator)"
                    + (item.target.map { ", cible \(s.value($0, item))" } ?? "")
            case "value_approved":
                return "Approuvé : \(s.valueOrComment(item)) pour \(item.indicatorTitle ?? "") (\(s.period(item)))"
            case "value_returned":
                return
                    "Renvoyé pour correction : \(item.indicatorTitle ?? "") (\(s.period(item))) : « \(item.comment ?? "") »"
            case "lesson_written":
                let partner = s.known(item.partnerName)
                let who =
                    s.byPartnerCoordinator(item)
                    ? partner.map { "Le·la coordinateur·rice partenaire de \($0)" }
                        ?? "Le·la coordinateur·rice partenaire" : name(item.authorId)
                let side =
                    s.partnerSide(item)
                    ? partner ?? "la commune partenaire" : s.known(item.municipalityName) ?? "la commune"
                return "\(who) a écrit ce que \(side) a appris : « \(item.lessonTitle ?? "") »"
            case "lesson_shared":
                return
                    "\(s.known(item.municipalityName) ?? "La commune") a partagé « \(item.lessonTitle ?? "") » avec les autres communes"
                    + (item.published == true ? " et l’a publiée dans la vitrine" : "")
            case "lesson_published":
                return
                    "\(s.known(item.municipalityName) ?? "La commune") a publié « \(item.lessonTitle ?? "") » dans la vitrine"
            case "reminder_quiet":
                return "Rien n’a été publié ni rapporté dans \(item.partnershipTitle) depuis \(item.days ?? 0) jours"
            case "reminder_period_ending":
                return
                    "\(item.indicatorTitle ?? "") : la période \(s.period(item)) se termine le \(s.date(item.periodEnd)) et n’a pas encore de valeur"
            default: return item.kind
            }
        },
        fields: [
            "title": "titre", "description": "description", "kind": "type", "status": "statut",
            "startsOn": "date de début", "endsOn": "date de fin", "direction": "sens de l’apprentissage",
            "sdgTargets": "cibles ODD", "themes": "thèmes", "budget": "budget", "fundingSource": "financement",
            "participants": "participants", "results": "résultats", "partner": "partenaire",
            "startedOn": "date de début", "endedOn": "date de fin", "sdgFocus": "ODD prioritaires",
        ]
    )

    static let spanish: DigestStrings = DigestStrings(
        language: .es,
        formattingLocale: Locale(identifier: "es_ES"),
        greeting: { "Hola, \($0):" },
        intro: { "Esto es lo que cambió en sus hermanamientos entre el \($0) y el \($1)." },
        subject: { count, titles in "\(count) \(count == 1 ? "cambio" : "cambios") en \(titles)" },
        more: { "y \($0) más" },
        viewAll: "Ver todo",
        settings: "Elegir con qué frecuencia recibe estos mensajes",
        unsubscribe: "Darse de baja",
        unsubscribeConfirm: "¿Dejar de recibir estos resúmenes?",
        unsubscribeDone: "Ya no recibirá estos resúmenes.",
        footer: { "Recibe este resumen como miembro de hermanamientos de \($0) en stedenband." },
        count: { kind, n in
            let words: [String: (String, String)] = [
                "partnership_created": ("hermanamiento registrado", "hermanamientos registrados"),
                "partnership_updated": ("cambio en el hermanamiento", "cambios en el hermanamiento"),
                "partnership_status_changed": ("cambio de estado", "cambios de estado"),
                "partnership_member_added": ("miembro añadido", "miembros añadidos"),
                "partnership_member_removed": ("miembro retirado", "miembros retirados"),
                "partnership_deleted": ("hermanamiento eliminado", "hermanamientos eliminados"),
                "activity_recorded": ("actividad registrada", "actividades registradas"),
                "activity_updated": ("cambio en una actividad", "cambios en actividades"),
                "activity_status_changed": ("cambio de estado de actividad", "cambios de estado de actividades"),
                "activity_budget_changed": ("cambio de presupuesto", "cambios de presupuesto"),
                "activity_update_posted": ("nota de avance", "notas de avance"),
                "activity_deleted": ("actividad eliminada", "actividades eliminadas"),
                "indicator_defined": ("indicador definido", "indicadores definidos"),
                "value_reported": ("valor informado", "valores informados"),
                "value_approved": ("valor aprobado", "valores aprobados"),
                "value_returned": ("valor devuelto", "valores devueltos"),
                "lesson_written": ("lección escrita", "lecciones escritas"),
                "lesson_shared": ("lección compartida", "lecciones compartidas"),
                "lesson_published": ("lección publicada", "lecciones publicadas"),
                "reminder_quiet": ("recordatorio", "recordatorios"),
                "reminder_period_ending": ("periodo que termina", "periodos que terminan"),
            ]
            let (one, other) = words[kind] ?? (kind, kind)
            return "\(n) \(n == 1 ? one : other)"
        },
        line: { item, money, name in
            let s = DigestStrings.spanish
            switch item.kind {
            case "partnership_created": return "Se registró el hermanamiento \(item.partnershipTitle)"
            case "partnership_updated": return "Modificado: \(s.fieldList(item.changedFields))"
            case "partnership_status_changed":
                return "Estado: \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "partnership_member_added": return "\(name(item.memberId)) se unió al hermanamiento"
            case "partnership_member_removed": return "\(name(item.memberId)) dejó el hermanamiento"
            case "partnership_deleted": return "Se eliminó el hermanamiento"
            case "activity_recorded": return "Registrada" + (item.budget.map { ", presupuesto \(money($0))" } ?? "")
            case "activity_updated": return "Modificado: \(s.fieldList(item.changedFields))"
            case "activity_status_changed": return "Estado: \(s.status(item.previousStatus)) → \(s.status(item.status))"
            case "activity_budget_changed": return "Presupuesto ahora \(item.budget.map(money) ?? "ninguno")"
            case "activity_update_posted": return "«\(item.text ?? "")»"
            case "activity_deleted": return "Eliminada"
            case "indicator_defined": return "Nuevo indicador: \(item.indicatorTitle ?? "")"
            case "value_reported":
                let who = s.reporter(item, name)
                let indicator = item.indicatorTitle ?? ""
                guard item.measure != "qualitative", item.value != nil else {
                    return "\(who) informó sobre \(indicator): «\(item.comment ?? "")»"
                }
                return "\(who) informó \(s.value(item.value, item)) para \(indicator)"
                    + (item.target.map { ", meta \(s.value($0, item))" } ?? "")
            case "value_approved":
                return "Aprobado: \(s.valueOrComment(item)) para \(item.indicatorTitle ?? "") (\(s.period(item)))"
            case "value_returned":
                return
                    "Devuelto para corregir: \(item.indicatorTitle ?? "") (\(s.period(item))): «\(item.comment ?? "")»"
            case "lesson_written":
                let partner = s.known(item.partnerName)
                let who =
                    s.byPartnerCoordinator(item)
                    ? partner.map { "El/la coordinador/a de \($0)" } ?? "El/la coordinador/a del municipio socio"
                    : name(item.authorId)
                let side =
                    s.partnerSide(item)
                    ? partner ?? "el municipio socio" : s.known(item.municipalityName) ?? "el municipio"
                return "\(who) escribió lo que aprendió \(side): «\(item.lessonTitle ?? "")»"
            case "lesson_shared":
                return
                    "\(s.known(item.municipalityName) ?? "El municipio") compartió «\(item.lessonTitle ?? "")» con los demás municipios"
                    + (item.published == true ? " y la publicó en el escaparate" : "")
            case "lesson_published":
                return
                    "\(s.known(item.municipalityName) ?? "El municipio") publicó «\(item.lessonTitle ?? "")» en el escaparate"
            case "reminder_quiet":
                return
                    "No se ha publicado ni informado nada en \(item.partnershipTitle) desde hace \(item.days ?? 0) días"
            case "reminder_period_ending":
                return
                    "\(item.indicatorTitle ?? ""): el periodo \(s.period(item)) termina el \(s.date(item.periodEnd)) y aún no tiene valor"
            default: return item.kind
            }
        },
        fields: [
            "title": "título", "description": "descripción", "kind": "tipo", "status": "estado",
            "startsOn": "fecha de inicio", "endsOn": "fecha de fin", "direction": "dirección del aprendizaje",
            "sdgTargets": "metas ODS", "themes": "temas", "budget": "presupuesto", "fundingSource": "financiación",
            "participants": "participantes", "results": "resultados", "partner": "socio",
            "startedOn": "fecha de inicio",
            "endedOn": "fecha de fin", "sdgFocus": "ODS prioritarios",
        ]
    )
}
