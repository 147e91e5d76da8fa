/// A login that is missing or cannot be made, in words an operator can act on.
struct DatabaseLoginError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
