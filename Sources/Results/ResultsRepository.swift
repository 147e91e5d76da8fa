/// Every SQL statement against the `results` schema: results, indicators and periods (its extensions). Each
/// runs in the caller's transaction. The copies of the partnerships, their members and the activities are kept
/// by ``ResultsPlugin``'s `PartnershipCopy` and `ActivityCopy`.
struct ResultsRepository: Sendable {}
