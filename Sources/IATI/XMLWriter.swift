/// Builds an indented XML 1.0 document as a string, escaping every text and attribute value, so that no
/// caller-supplied text can change the document's structure.
///
/// Values must already be free of characters XML 1.0 forbids (see ``XMLText/removingForbiddenCharacters(_:)``);
/// the writer escapes, it does not clean.
struct XMLWriter {
    private(set) var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    /// Opens `<name attributes…>`; attributes keep the given order, so output is stable for readers and diffs.
    mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
        output += indentation + "<" + name + Self.render(attributes) + ">\n"
        open.append(name)
    }

    /// Closes the innermost open element.
    mutating func end() {
        let name = open.removeLast()
        output += indentation + "</" + name + ">\n"
    }

    /// Writes `<name attributes…/>`.
    mutating func empty(_ name: String, _ attributes: [(String, String)] = []) {
        output += indentation + "<" + name + Self.render(attributes) + "/>\n"
    }

    /// Writes `<name attributes…>text</name>`, the text on the same line so no whitespace is added to it.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String) {
        output += indentation + "<" + name + Self.render(attributes) + ">" + XMLText.escaped(text) + "</" + name + ">\n"
    }

    private var indentation: String { String(repeating: "  ", count: open.count) }

    private static func render(_ attributes: [(String, String)]) -> String {
        var rendered = ""
        for (name, value) in attributes {
            rendered += " " + name + "=\"" + XMLText.escaped(value, inAttribute: true) + "\""
        }
        return rendered
    }
}
