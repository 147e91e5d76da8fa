extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// Every case's raw value, in declaration order: the values the API accepts and the OpenAPI document lists.
    public static var rawValues: [String] { allCases.map(\.rawValue) }
}
