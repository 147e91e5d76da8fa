import Gateway

extension RequestBody {
    /// The input when its ``RequestBody/validate()`` finds nothing wrong, else the 422 the API answers for it.
    ///
    /// A service checks its typed input with this, so the rules hold for every caller: a request's body was
    /// checked already when it was decoded (and answers the same problem), the command line's and the demo's
    /// inputs are checked here.
    public func checked() throws -> Self {
        let errors = validate()
        guard errors.isEmpty else { throw Problem.validation(errors) }
        return self
    }
}
