/// Which side of a partnership learnt a lesson: the Flemish municipality or its partner municipality in the
/// Global South. Learning runs both ways; the reciprocity report counts lessons per side.
public enum LessonSide: String, Codable, Sendable, Hashable, CaseIterable {
    case flemishMunicipality = "flemish_municipality"
    case partnerMunicipality = "partner_municipality"
}
