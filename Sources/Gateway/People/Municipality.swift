import Foundation

/// The municipality a ``Person`` belongs to, as far as what is sent in its name needs it: a digest says
/// whom it comes from and from which address.
public struct Municipality: Sendable, Equatable {
    /// The tenant.
    public var id: UUID
    /// Its short name in URLs and list ids, e.g. `roeselare`.
    public var slug: String
    /// Its name, e.g. `Roeselare`.
    public var name: String
    /// The address its e-mail is sent from; `nil` when it set none.
    public var senderEmail: String?

    /// Makes a municipality.
    public init(id: UUID, slug: String, name: String, senderEmail: String?) {
        self.id = id
        self.slug = slug
        self.name = name
        self.senderEmail = senderEmail
    }
}
