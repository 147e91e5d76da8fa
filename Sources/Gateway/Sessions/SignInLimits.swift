/// How often sign-in links may be asked for: per e-mail address (a mailbox is not flooded) and per client
/// address (nobody tries many addresses quickly). In memory, per process, like the other limits.
public struct SignInLimits: Sendable {
    /// Links per e-mail address.
    public let perEmail: RateLimiter
    /// Requests of `POST /sign-in` per client address.
    public let perClient: RateLimiter

    /// The defaults: an address gets 3 links at once and one a minute after that; a client may ask 10 times at
    /// once and once every 6 seconds after that.
    public init(
        perEmail: RateLimiter = RateLimiter(rate: 1.0 / 60, burst: 3),
        perClient: RateLimiter = RateLimiter(rate: 1.0 / 6, burst: 10)
    ) {
        self.perEmail = perEmail
        self.perClient = perClient
    }
}
