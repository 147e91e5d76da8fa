import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A generated document read back with a real XML parser, so tests check what a consumer would see
/// (unescaped text, attribute values) rather than the writer's spelling.
struct ParsedDocument {
    let document: XMLDocument

    init(_ xml: String) throws {
        document = try XMLDocument(xmlString: xml, options: [])
    }

    /// The root element.
    var root: XMLElement {
        get throws { try #require(document.rootElement()) }
    }

    /// The `iati-activity` elements, in order.
    var activities: [XMLElement] {
        get throws { try root.elements(forName: "iati-activity") }
    }

    /// The activity whose `iati-identifier` is `identifier`.
    func activity(_ identifier: String) throws -> XMLElement {
        let matches = try activities.filter { $0.child("iati-identifier")?.stringValue == identifier }
        return try #require(matches.count == 1 ? matches.first : nil, "one activity \(identifier)")
    }
}

extension XMLElement {
    /// The value of attribute `name` (`xml:lang` included), `nil` when absent.
    func value(_ name: String) -> String? {
        attribute(forName: name)?.stringValue
    }

    /// The first child element called `name`.
    func child(_ name: String) -> XMLElement? {
        elements(forName: name).first
    }

    /// The names of the child elements, in order.
    var childNames: [String] {
        (children ?? []).compactMap { ($0 as? XMLElement)?.name }
    }

    /// The text of the first `narrative` child.
    var narrative: String? {
        child("narrative")?.stringValue
    }
}
