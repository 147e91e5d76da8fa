import Gateway
import Vocabulary

/// The words of the public showcase in one language; every language has every word (``Localised``). Templates
/// read them by property name (`{{words.heading}}`).
struct ShowcaseWords: Sendable {
    var heading: String
    var intro: String
    var platformFigures: String
    var municipalities: String
    var partnerships: String
    var countries: String
    var activities: String
    var goals: String
    var countsNote: String
    var published: String
    var nothingPublished: String
    var partnershipsOf: String
    var with: String
    var peopleReached: String
    var spent: String
    var reciprocity: String
    var reciprocityNote: String
    var activitiesByGoal: String
    var withoutGoal: String
    var story: String
    var back: String
    var backToShowcase: String
    var read: String
    var lessonsLearnt: String
    var flemishLearnt: String
    var partnerLearnt: String
    var spentByYear: String
    var year: String
    var spentByYearNote: String
    var recentLessons: String
    var noLessonsYet: String
    var follow: String
    var feedTitle: String
    var municipalityFeedTitle: String
    var feedSubtitle: String
    var lessons: String
    var learntBy: String
    var fromActivity: String

    static let all = Localised(nl: dutch, en: english, fr: french, es: spanish)
    static let templates = PageShell.templateObjects(all)

    static let english = ShowcaseWords(
        heading: "Municipal partnerships: what we do together",
        intro:
            "Flemish municipalities and their partner municipalities in the Global South work and learn together. Here is what they chose to show.",
        platformFigures: "On this platform", municipalities: "Municipalities", partnerships: "Partnerships",
        countries: "Partner countries", activities: "Activities", goals: "Sustainable Development Goals worked on",
        countsNote: "These figures count all the work on the platform, published or not.",
        published: "Published partnerships", nothingPublished: "Nothing is published yet.",
        partnershipsOf: "Partnerships of {municipality}", with: "with {partner}, {country}",
        peopleReached: "People reached", spent: "Spent", reciprocity: "Learning both ways",
        reciprocityNote: "Share of activities in which {municipality} learns too",
        activitiesByGoal: "Activities by Sustainable Development Goal", withoutGoal: "Other activities",
        story: "Our story", back: "All partnerships of {municipality}", backToShowcase: "All municipalities",
        read: "Read more",
        lessonsLearnt: "Lessons learnt", flemishLearnt: "by Flemish municipalities",
        partnerLearnt: "by partner municipalities", spentByYear: "Spent per year", year: "Year",
        spentByYearNote:
            "Only the years and currencies in which at least three municipalities spent money are shown, so that no one municipality's budget can be read from them.",
        recentLessons: "Recently learnt", noLessonsYet: "No lesson is published yet.",
        follow: "Follow new lessons (Atom feed)", feedTitle: "New lessons of the municipal partnerships",
        municipalityFeedTitle: "New lessons of {municipality}",
        feedSubtitle: "What Flemish municipalities and their partner municipalities learnt from each other.",
        lessons: "What we learnt", learntBy: "What {name} learnt", fromActivity: "From “{activity}”, published {date}")

    static let dutch = ShowcaseWords(
        heading: "Stedenbanden: wat we samen doen",
        intro:
            "Vlaamse gemeenten en hun partnergemeenten in het Zuiden werken en leren samen. Dit is wat ze kozen te tonen.",
        platformFigures: "Op dit platform", municipalities: "Gemeenten", partnerships: "Stedenbanden",
        countries: "Partnerlanden", activities: "Activiteiten",
        goals: "Duurzame-ontwikkelingsdoelstellingen waaraan gewerkt wordt",
        countsNote: "Deze cijfers tellen al het werk op het platform, gepubliceerd of niet.",
        published: "Gepubliceerde stedenbanden", nothingPublished: "Er is nog niets gepubliceerd.",
        partnershipsOf: "Stedenbanden van {municipality}", with: "met {partner}, {country}",
        peopleReached: "Bereikte mensen", spent: "Besteed", reciprocity: "Leren in twee richtingen",
        reciprocityNote: "Aandeel van de activiteiten waarin ook {municipality} leert",
        activitiesByGoal: "Activiteiten per duurzame-ontwikkelingsdoelstelling", withoutGoal: "Andere activiteiten",
        story: "Ons verhaal", back: "Alle stedenbanden van {municipality}", backToShowcase: "Alle gemeenten",
        read: "Lees meer",
        lessonsLearnt: "Geleerde lessen", flemishLearnt: "door Vlaamse gemeenten",
        partnerLearnt: "door partnergemeenten", spentByYear: "Besteed per jaar", year: "Jaar",
        spentByYearNote:
            "Alleen de jaren en munten waarin minstens drie gemeenten geld besteedden staan hier, zodat geen enkel bedrag het budget van één gemeente verraadt.",
        recentLessons: "Pas geleerd", noLessonsYet: "Er is nog geen les gepubliceerd.",
        follow: "Volg nieuwe lessen (Atom-feed)", feedTitle: "Nieuwe lessen van de stedenbanden",
        municipalityFeedTitle: "Nieuwe lessen van {municipality}",
        feedSubtitle: "Wat Vlaamse gemeenten en hun partnergemeenten van elkaar leerden.",
        lessons: "Wat we leerden", learntBy: "Wat {name} leerde",
        fromActivity: "Uit „{activity}”, gepubliceerd op {date}")

    static let french = ShowcaseWords(
        heading: "Partenariats entre communes : ce que nous faisons ensemble",
        intro:
            "Des communes flamandes et leurs communes partenaires du Sud travaillent et apprennent ensemble. Voici ce qu'elles ont choisi de montrer.",
        platformFigures: "Sur cette plateforme", municipalities: "Communes", partnerships: "Partenariats",
        countries: "Pays partenaires", activities: "Activités", goals: "Objectifs de développement durable travaillés",
        countsNote: "Ces chiffres comptent tout le travail de la plateforme, publié ou non.",
        published: "Partenariats publiés", nothingPublished: "Rien n'est encore publié.",
        partnershipsOf: "Partenariats de {municipality}", with: "avec {partner}, {country}",
        peopleReached: "Personnes atteintes", spent: "Dépensé", reciprocity: "Apprendre dans les deux sens",
        reciprocityNote: "Part des activités où {municipality} apprend aussi",
        activitiesByGoal: "Activités par objectif de développement durable", withoutGoal: "Autres activités",
        story: "Notre histoire", back: "Tous les partenariats de {municipality}",
        backToShowcase: "Toutes les communes", read: "En savoir plus",
        lessonsLearnt: "Leçons apprises", flemishLearnt: "par les communes flamandes",
        partnerLearnt: "par les communes partenaires", spentByYear: "Dépensé par année", year: "Année",
        spentByYearNote:
            "Seules les années et les devises où au moins trois communes ont dépensé sont montrées : aucun montant ne laisse ainsi deviner le budget d'une seule commune.",
        recentLessons: "Appris récemment", noLessonsYet: "Aucune leçon n'est encore publiée.",
        follow: "Suivre les nouvelles leçons (flux Atom)",
        feedTitle: "Nouvelles leçons des partenariats entre communes",
        municipalityFeedTitle: "Nouvelles leçons de {municipality}",
        feedSubtitle: "Ce que des communes flamandes et leurs communes partenaires ont appris les unes des autres.",
        lessons: "Ce que nous avons appris", learntBy: "Ce que {name} a appris",
        fromActivity: "De « {activity} », publié le {date}")

    static let spanish = ShowcaseWords(
        heading: "Hermanamientos: lo que hacemos juntos",
        intro:
            "Municipios flamencos y sus municipios socios del Sur trabajan y aprenden juntos. Esto es lo que eligieron mostrar.",
        platformFigures: "En esta plataforma", municipalities: "Municipios", partnerships: "Hermanamientos",
        countries: "Países socios", activities: "Actividades", goals: "Objetivos de Desarrollo Sostenible trabajados",
        countsNote: "Estas cifras cuentan todo el trabajo de la plataforma, publicado o no.",
        published: "Hermanamientos publicados", nothingPublished: "Todavía no hay nada publicado.",
        partnershipsOf: "Hermanamientos de {municipality}", with: "con {partner}, {country}",
        peopleReached: "Personas alcanzadas", spent: "Ejecutado", reciprocity: "Aprender en ambos sentidos",
        reciprocityNote: "Proporción de actividades en las que {municipality} también aprende",
        activitiesByGoal: "Actividades por Objetivo de Desarrollo Sostenible", withoutGoal: "Otras actividades",
        story: "Nuestra historia", back: "Todos los hermanamientos de {municipality}",
        backToShowcase: "Todos los municipios", read: "Leer más",
        lessonsLearnt: "Lecciones aprendidas", flemishLearnt: "por municipios flamencos",
        partnerLearnt: "por municipios socios", spentByYear: "Ejecutado por año", year: "Año",
        spentByYearNote:
            "Solo se muestran los años y las monedas en los que al menos tres municipios gastaron, para que ningún importe revele el presupuesto de un solo municipio.",
        recentLessons: "Aprendido recientemente", noLessonsYet: "Todavía no hay ninguna lección publicada.",
        follow: "Seguir las nuevas lecciones (canal Atom)", feedTitle: "Nuevas lecciones de los hermanamientos",
        municipalityFeedTitle: "Nuevas lecciones de {municipality}",
        feedSubtitle: "Lo que municipios flamencos y sus municipios socios aprendieron unos de otros.",
        lessons: "Lo que aprendimos", learntBy: "Lo que aprendió {name}",
        fromActivity: "De «{activity}», publicado el {date}")
}
