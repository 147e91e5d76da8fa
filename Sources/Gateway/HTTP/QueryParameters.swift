import Hummingbird

extension Request {
    /// The query's parameters, every handler's way to read them: one whose value is empty (`?cursor=`,
    /// `?target=`, as a form sends a field left blank) is absent, so a blank filter filters nothing.
    public var queryParameters: Parameters {
        Parameters(uri.queryParameters.filter { !$0.value.isEmpty })
    }
}
