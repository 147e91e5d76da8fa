import Foundation

/// The publishing municipality, checked once per export: every activity repeats it, so if it cannot be
/// expressed validly no document can be made.
struct ReportingOrganisation {
    var reference: String
    var type: String
    var name: String
    var language: String

    /// Characters an IATI identifier must not contain (IATI's identifier guidance), besides whitespace and
    /// controls: they break the identifier's use in URLs and in the registry.
    static let forbiddenInReference: Set<Character> = ["/", "&", "|", "?"]

    /// Checks `organisation`; throws ``IATIExportError/Code/invalidOrganisation`` naming every problem.
    init(_ organisation: IATIOrganisation) throws(IATIExportError) {
        var problems: [String] = []
        let reference = organisation.reference.trimmingCharacters(in: .whitespacesAndNewlines)
        if reference.isEmpty {
            problems.append("the organisation has no IATI reference")
        } else if reference.unicodeScalars.contains(where: {
            $0.properties.isWhitespace || $0.properties.generalCategory == .control || !XMLText.isAllowed($0)
        }) || reference.contains(where: { Self.forbiddenInReference.contains($0) }) {
            problems.append(
                "the organisation reference \"\(reference)\" contains whitespace, control characters or one of / & | ?")
        }
        let type = organisation.type.trimmingCharacters(in: .whitespaces)
        if !IATICodelists.organisationTypes.contains(type) {
            problems.append("the organisation type \"\(type)\" is not in the IATI OrganisationType codelist")
        }
        let name = XMLText.removingForbiddenCharacters(organisation.name).trimmingCharacters(
            in: .whitespacesAndNewlines)
        if name.isEmpty {
            problems.append("the organisation has no name")
        }
        let language = organisation.language.trimmingCharacters(in: .whitespaces).lowercased()
        if !Self.isLanguageTag(language) {
            problems.append("the organisation language \"\(language)\" is not a language code such as nl or en")
        }
        guard problems.isEmpty else {
            throw IATIExportError(code: .invalidOrganisation, reason: problems.joined(separator: "; "))
        }
        self.reference = reference
        self.type = type
        self.name = name
        self.language = language
    }

    /// True when `tag` matches `xsd:language` (`[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`) with a primary subtag
    /// of two or three letters, as ISO 639 codes have: `nl`, `en`, `nl-be`.
    static func isLanguageTag(_ tag: String) -> Bool {
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = subtags.first, (2...3).contains(primary.count),
            primary.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        return subtags.dropFirst().allSatisfy { subtag in
            (1...8).contains(subtag.count) && subtag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}
