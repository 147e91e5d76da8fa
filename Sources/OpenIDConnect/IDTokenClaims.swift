import Foundation
import JWTKit

/// The claims of an ID token this server reads (OpenID Connect Core 1.0, section 2 and 5.1).
struct IDTokenClaims: JWTPayload, Equatable {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var nonce: String?
    var azp: String?
    var email: String?
    var emailVerified: BoolClaim?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, azp, email
        case emailVerified = "email_verified"
    }

    /// The signature is jwt-kit's to check; the claims are checked by ``IDTokenVerifier`` against the
    /// sign-in they belong to, with its clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
