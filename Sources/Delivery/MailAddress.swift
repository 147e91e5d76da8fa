/// An e-mail address, with an optional display name.
public struct MailAddress: Sendable, Hashable {
    /// The address itself, `local@domain`, in ASCII; anything else is refused when the message is sent.
    public var address: String
    /// The name shown to readers (`Stad Roeselare`); any Unicode text.
    public var name: String?

    /// An address, with the name readers see.
    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}
