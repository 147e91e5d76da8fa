/// What every form field of the pages shows around its input, the GOV.UK way: a hint, the message beside a
/// wrong value, and (on a stale edit) what is stored now; and `describedBy`, which ties them to the input for a
/// screen reader (`aria-describedby`), in the order they appear. The templates' field partials read these keys.
public enum PageField {
    /// Adds `hint`, `error` and `stored`, each when given, and `describedBy` naming their elements
    /// (`<id>-hint`, `<id>-error`, `<id>-stored`), to a field's template values.
    public static func describe(
        _ field: inout [String: Any], id: String, hint: String? = nil, error: String? = nil, stored: String? = nil
    ) {
        var described: [String] = []
        for (key, text) in [("hint", hint), ("error", error), ("stored", stored)] {
            guard let text else { continue }
            field[key] = text
            described.append("\(id)-\(key)")
        }
        if !described.isEmpty { field["describedBy"] = described.joined(separator: " ") }
    }
}
