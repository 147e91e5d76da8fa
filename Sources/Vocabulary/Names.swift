// The words for each case, in every language the product speaks: an exhaustive `switch` per language, so a
// new case makes the compiler point at every language that lacks a word for it. Digests, reports and pages
// name statuses, kinds, directions, result types and measures with these.

extension PartnershipStatus {
    /// A partnership's status in words: "exploring", "verkennend", "exploratoire", "exploratorio".
    public static let names = Localised<Labels<PartnershipStatus>>(
        nl: {
            switch $0 {
            case .exploring: "verkennend"
            case .active: "actief"
            case .suspended: "opgeschort"
            case .ended: "beëindigd"
            }
        },
        en: {
            switch $0 {
            case .exploring: "exploring"
            case .active: "active"
            case .suspended: "suspended"
            case .ended: "ended"
            }
        },
        fr: {
            switch $0 {
            case .exploring: "exploratoire"
            case .active: "actif"
            case .suspended: "suspendu"
            case .ended: "terminé"
            }
        },
        es: {
            switch $0 {
            case .exploring: "exploratorio"
            case .active: "activo"
            case .suspended: "suspendido"
            case .ended: "finalizado"
            }
        }
    )

    /// The word in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}

extension ActivityStatus {
    /// An activity's status in words (agreeing with "activité", "actividad" where that matters).
    public static let names = Localised<Labels<ActivityStatus>>(
        nl: {
            switch $0 {
            case .planned: "gepland"
            case .ongoing: "lopend"
            case .completed: "afgerond"
            case .cancelled: "geannuleerd"
            }
        },
        en: {
            switch $0 {
            case .planned: "planned"
            case .ongoing: "ongoing"
            case .completed: "completed"
            case .cancelled: "cancelled"
            }
        },
        fr: {
            switch $0 {
            case .planned: "prévue"
            case .ongoing: "en cours"
            case .completed: "terminée"
            case .cancelled: "annulée"
            }
        },
        es: {
            switch $0 {
            case .planned: "prevista"
            case .ongoing: "en curso"
            case .completed: "finalizada"
            case .cancelled: "cancelada"
            }
        }
    )

    /// The word in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}

extension LearningDirection {
    /// Who learns from whom, in words: "North to south", "Noord naar zuid", "Du Nord vers le Sud", "Norte a sur".
    public static let names = Localised<Labels<LearningDirection>>(
        nl: {
            switch $0 {
            case .northToSouth: "Noord naar zuid"
            case .southToNorth: "Zuid naar noord"
            case .mutual: "Wederzijds"
            }
        },
        en: {
            switch $0 {
            case .northToSouth: "North to south"
            case .southToNorth: "South to north"
            case .mutual: "Mutual"
            }
        },
        fr: {
            switch $0 {
            case .northToSouth: "Du Nord vers le Sud"
            case .southToNorth: "Du Sud vers le Nord"
            case .mutual: "Mutuel"
            }
        },
        es: {
            switch $0 {
            case .northToSouth: "Norte a sur"
            case .southToNorth: "Sur a norte"
            case .mutual: "Mutua"
            }
        }
    )

    /// The word in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}

extension ActivityKind {
    /// What sort of activity it is, in words: "study visit", "studiebezoek", "visite d’étude", "visita de estudio".
    public static let names = Localised<Labels<ActivityKind>>(
        nl: {
            switch $0 {
            case .knowledgeExchange: "kennisuitwisseling"
            case .capacityBuilding: "capaciteitsopbouw"
            case .emergencySupport: "noodhulp"
            case .awarenessCampaign: "sensibiliseringscampagne"
            case .studyVisit: "studiebezoek"
            case .infrastructure: "infrastructuur"
            case .other: "andere"
            }
        },
        en: {
            switch $0 {
            case .knowledgeExchange: "knowledge exchange"
            case .capacityBuilding: "capacity building"
            case .emergencySupport: "emergency support"
            case .awarenessCampaign: "awareness campaign"
            case .studyVisit: "study visit"
            case .infrastructure: "infrastructure"
            case .other: "other"
            }
        },
        fr: {
            switch $0 {
            case .knowledgeExchange: "échange de connaissances"
            case .capacityBuilding: "renforcement des capacités"
            case .emergencySupport: "aide d’urgence"
            case .awarenessCampaign: "campagne de sensibilisation"
            case .studyVisit: "visite d’étude"
            case .infrastructure: "infrastructure"
            case .other: "autre"
            }
        },
        es: {
            switch $0 {
            case .knowledgeExchange: "intercambio de conocimientos"
            case .capacityBuilding: "fortalecimiento de capacidades"
            case .emergencySupport: "ayuda de emergencia"
            case .awarenessCampaign: "campaña de sensibilización"
            case .studyVisit: "visita de estudio"
            case .infrastructure: "infraestructura"
            case .other: "otro"
            }
        }
    )

    /// The words in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}

extension ResultType {
    /// What a result describes, in words: "outcome", "effet", "efecto". The Dutch keeps the English words, as
    /// Flemish DGD reporting does; the French are IATI's codelist's.
    public static let names = Localised<Labels<ResultType>>(
        nl: {
            switch $0 {
            case .output: "output"
            case .outcome: "outcome"
            case .impact: "impact"
            case .other: "andere"
            }
        },
        en: {
            switch $0 {
            case .output: "output"
            case .outcome: "outcome"
            case .impact: "impact"
            case .other: "other"
            }
        },
        fr: {
            switch $0 {
            case .output: "extrant"
            case .outcome: "effet"
            case .impact: "impact"
            case .other: "autre"
            }
        },
        es: {
            switch $0 {
            case .output: "producto"
            case .outcome: "efecto"
            case .impact: "impacto"
            case .other: "otro"
            }
        }
    )

    /// The word in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}

extension IndicatorMeasure {
    /// How an indicator is measured, in words: "unit", "aantal", "unité", "unidad".
    public static let names = Localised<Labels<IndicatorMeasure>>(
        nl: {
            switch $0 {
            case .unit: "aantal"
            case .percentage: "percentage"
            case .nominal: "nominaal"
            case .ordinal: "ordinaal"
            case .qualitative: "kwalitatief"
            }
        },
        en: {
            switch $0 {
            case .unit: "unit"
            case .percentage: "percentage"
            case .nominal: "nominal"
            case .ordinal: "ordinal"
            case .qualitative: "qualitative"
            }
        },
        fr: {
            switch $0 {
            case .unit: "unité"
            case .percentage: "pourcentage"
            case .nominal: "nominal"
            case .ordinal: "ordinal"
            case .qualitative: "qualitatif"
            }
        },
        es: {
            switch $0 {
            case .unit: "unidad"
            case .percentage: "porcentaje"
            case .nominal: "nominal"
            case .ordinal: "ordinal"
            case .qualitative: "cualitativo"
            }
        }
    )

    /// The word in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}

extension PeriodStatus {
    /// Where a reported value stands, in words: "submitted", "ingediend", "soumise", "enviado" (agreeing with
    /// "valeur" and "valor").
    public static let names = Localised<Labels<PeriodStatus>>(
        nl: {
            switch $0 {
            case .draft: "concept"
            case .submitted: "ingediend"
            case .approved: "goedgekeurd"
            case .returned: "teruggestuurd"
            }
        },
        en: {
            switch $0 {
            case .draft: "draft"
            case .submitted: "submitted"
            case .approved: "approved"
            case .returned: "returned"
            }
        },
        fr: {
            switch $0 {
            case .draft: "brouillon"
            case .submitted: "soumise"
            case .approved: "approuvée"
            case .returned: "renvoyée"
            }
        },
        es: {
            switch $0 {
            case .draft: "borrador"
            case .submitted: "enviado"
            case .approved: "aprobado"
            case .returned: "devuelto"
            }
        }
    )

    /// The word in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}

extension LessonSide {
    /// The side that learnt, in words: "partner municipality", "partnergemeente", "commune partenaire",
    /// "municipio socio" (the glossary's words).
    public static let names = Localised<Labels<LessonSide>>(
        nl: {
            switch $0 {
            case .flemishMunicipality: "Vlaamse gemeente"
            case .partnerMunicipality: "partnergemeente"
            }
        },
        en: {
            switch $0 {
            case .flemishMunicipality: "Flemish municipality"
            case .partnerMunicipality: "partner municipality"
            }
        },
        fr: {
            switch $0 {
            case .flemishMunicipality: "commune flamande"
            case .partnerMunicipality: "commune partenaire"
            }
        },
        es: {
            switch $0 {
            case .flemishMunicipality: "municipio flamenco"
            case .partnerMunicipality: "municipio socio"
            }
        }
    )

    /// The word in `language`.
    public func name(in language: Language) -> String { Self.names[language](self) }
}
