import Foundation

/// A municipality's user as the plugins see them: who they are, how to write to them, and where they
/// belong. Read through ``People``.
public struct Person: Sendable, Equatable {
    /// The user.
    public var id: UUID
    /// Their e-mail address.
    public var email: String
    /// Their name, as the municipality shows it.
    public var name: String
    /// Their role in the municipality.
    public var role: Identity.Role
    /// Their language: `nl`, `en`, `fr` or `es`.
    public var locale: String
    /// Their IANA time zone, e.g. `Europe/Brussels`.
    public var timeZone: String
    /// `false` once an administrator disabled them: they sign in no more and receive nothing.
    public var isActive: Bool
    /// The municipality they belong to.
    public var municipality: Municipality

    /// Makes a person.
    public init(
        id: UUID, email: String, name: String, role: Identity.Role, locale: String, timeZone: String,
        isActive: Bool, municipality: Municipality
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.locale = locale
        self.timeZone = timeZone
        self.isActive = isActive
        self.municipality = municipality
    }

    /// Their municipality's id.
    public var tenantID: UUID { municipality.id }
}
