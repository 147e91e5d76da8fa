import Foundation
import Hummingbird

extension PageForm {
    /// Every value of the field `name` in form text, in order: a group of checkboxes sends one field per box
    /// ticked, which ``PageForm/fields`` (the last one winning) does not keep.
    public static func values(_ name: String, in text: String) -> [String] {
        text.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String? {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard parts.first.flatMap(decoded) == name else { return nil }
            return parts.count > 1 ? decoded(parts[1]) ?? "" : ""
        }
    }

    /// Reads the form of a page's `POST` with the text it came in, for ``values(_:in:)``.
    public static func readWithText(_ request: Request) async throws -> (form: PageForm, text: String) {
        var request = request
        let body = try await request.collectBody(upTo: PageSessionMiddleware.formLimit(request))
        let text = String(buffer: body)
        return (PageForm(text), text)
    }
}
