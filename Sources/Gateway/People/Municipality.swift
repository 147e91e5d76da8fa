import Foundation
import Vocabulary

/// A municipality as the plugins see it: whom a digest comes from and from which address, whose name a
/// report carries, and under which IATI identity its export is published. Read through ``People``.
public struct Municipality: Sendable, Equatable {
    /// The tenant.
    public var id: UUID
    /// Its short name in URLs and list ids, e.g. `roeselare`.
    public var slug: String
    /// Its name, e.g. `Roeselare`.
    public var name: String
    /// The address its e-mail is sent from; `nil` when it set none.
    public var senderEmail: String?
    /// The language its new users get and its publications are written in: `nl`, `en`, `fr` or `es`.
    public var defaultLocale: String
    /// Its IATI organisation identifier (e.g. `BE-BCE_KBO-0207451227`); `nil` until set.
    public var iatiOrganisationReference: String?
    /// Its IATI organisation type code (e.g. `11`, local government); `nil` until set.
    public var iatiOrganisationType: String?

    /// Makes a municipality.
    public init(
        id: UUID, slug: String, name: String, senderEmail: String?,
        defaultLocale: String = Language.default.rawValue, iatiOrganisationReference: String? = nil,
        iatiOrganisationType: String? = nil
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.senderEmail = senderEmail
        self.defaultLocale = defaultLocale
        self.iatiOrganisationReference = iatiOrganisationReference
        self.iatiOrganisationType = iatiOrganisationType
    }
}
