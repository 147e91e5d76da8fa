import Gateway
import Vocabulary

/// The words the Activities plugin writes on the dashboard and in the partnership page's timeline.
struct ActivityDashboardWords: Sendable {
    var latestActivity: String
    var latestUpdate: String
    var noActivity: String
    /// "{activity} was recorded" and so on: `{activity}` is the activity's linked title.
    var recorded: String
    var changed: String
    var posted: String
    var status: String
    var timeline: String
    var noTimeline: String
    var older: String
    var newest: String
    var by: String
    var someone: String

    static let all = Localised(
        nl: ActivityDashboardWords(
            latestActivity: "Laatste activiteit", latestUpdate: "Laatste bericht", noActivity: "Nog geen activiteiten.",
            recorded: "Nieuwe activiteit {activity}", changed: "{activity} is gewijzigd",
            posted: "Nieuw bericht bij {activity}", status: "status", timeline: "Tijdlijn van de berichten",
            noTimeline: "Nog geen berichten bij de activiteiten van deze stedenband.", older: "Oudere berichten",
            newest: "Nieuwste berichten", by: "door", someone: "iemand"),
        en: ActivityDashboardWords(
            latestActivity: "Latest activity", latestUpdate: "Latest update", noActivity: "No activities yet.",
            recorded: "New activity {activity}", changed: "{activity} was changed",
            posted: "New update on {activity}", status: "status", timeline: "Timeline of updates",
            noTimeline: "No updates on this partnership's activities yet.", older: "Older updates",
            newest: "Newest updates", by: "by", someone: "someone"),
        fr: ActivityDashboardWords(
            latestActivity: "Dernière activité", latestUpdate: "Dernière nouvelle",
            noActivity: "Pas encore d'activités.",
            recorded: "Nouvelle activité {activity}", changed: "{activity} a été modifiée",
            posted: "Nouvelle publication sur {activity}", status: "statut", timeline: "Fil des nouvelles",
            noTimeline: "Pas encore de nouvelles sur les activités de ce partenariat.",
            older: "Nouvelles plus anciennes", newest: "Dernières nouvelles", by: "par", someone: "quelqu'un"),
        es: ActivityDashboardWords(
            latestActivity: "Última actividad", latestUpdate: "Última novedad",
            noActivity: "Todavía no hay actividades.",
            recorded: "Nueva actividad {activity}", changed: "{activity} se ha modificado",
            posted: "Nueva novedad en {activity}", status: "estado", timeline: "Cronología de novedades",
            noTimeline: "Todavía no hay novedades en las actividades de este hermanamiento.",
            older: "Novedades anteriores", newest: "Últimas novedades", by: "por", someone: "alguien")
    )
}

extension ActivityDashboardWords {
    /// Every language's words as templates read them, made once.
    static let templates = PageShell.templateObjects(all)
}
