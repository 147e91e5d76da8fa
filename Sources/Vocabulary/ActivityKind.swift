/// What sort of activity it is.
public enum ActivityKind: String, Codable, Sendable, Hashable, CaseIterable {
    case knowledgeExchange = "knowledge_exchange"
    case capacityBuilding = "capacity_building"
    case emergencySupport = "emergency_support"
    case awarenessCampaign = "awareness_campaign"
    case studyVisit = "study_visit"
    case infrastructure
    case other
}
