/// The rate limits around authentication, all in memory and all before the database.
///
/// A client address whose bucket of failed attempts is empty is refused (429) unless its token was accepted
/// lately (``RecentTokens``), so made-up tokens cost no lookup once the bucket is spent; a missing, malformed
/// or refused token takes one from the address's bucket; and each token has its own bucket.
struct AuthenticationLimits: Sendable {
    /// Requests per token.
    let tokens: RateLimiter
    /// Requests per client address, for failed or missing credentials.
    let addresses: RateLimiter
    /// The tokens the database accepted lately, which pass an address whose bucket is empty.
    let recentTokens: RecentTokens
    /// Counts what was refused before the database.
    let statistics: AuthenticationStatistics

    /// Takes one request from the address's bucket for a credential that failed; 429 when it is empty.
    func chargeAddress(_ address: String) throws {
        if let wait = addresses.acquire(address) {
            throw Problem.tooManyRequests(retryAfter: wait, by: .address)
        }
    }

    /// Lets a well-formed token (by its hash in hex) from `address` on to its lookup, or throws the 429.
    func admit(tokenHashHex hex: String, from address: String) throws {
        // An address that used up its failures gets through only with a token that worked lately, so a flood
        // of made-up tokens costs neither a connection nor a lookup.
        if !addresses.wouldAllow(address), !recentTokens.contains(hex) {
            statistics.refusedByAddressLimit()
            throw Problem.tooManyRequests(retryAfter: 1 / addresses.rate, by: .address)
        }
        if let wait = tokens.acquire(hex) {
            throw Problem.tooManyRequests(retryAfter: wait, by: .token)
        }
    }

    /// Notes that the database refused the token: charged after the lookup, so this answer is still the 401;
    /// the next ones may be 429s.
    func refused(tokenHashHex hex: String, from address: String) {
        recentTokens.refused(hex)
        _ = addresses.acquire(address)
    }

    /// Notes that the database accepted the token.
    func accepted(tokenHashHex hex: String) {
        recentTokens.accepted(hex)
    }
}
