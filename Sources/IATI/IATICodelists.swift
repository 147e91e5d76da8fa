/// The IATI codes the export checks values against, so that it never writes a code the standard does not
/// define. The large lists are generated from the shipped codelists (``IATICodelists+Generated.swift``).
///
/// IATI codelists: IATI Standard, http://iatistandard.org/, CC BY 4.0.
enum IATICodelists {
    /// The OrganisationType codelist (2.03), for `reporting-org/@type` and `participating-org/@type`. Not
    /// among the shipped files, and short and stable, so written out here: 10 Government, 11 Local
    /// Government, 15 Other Public Sector, 21 International NGO, 22 National NGO, 23 Regional NGO, 24 Partner
    /// Country based NGO, 30 Public Private Partnership, 40 Multilateral, 60 Foundation, 70 Private Sector,
    /// 71/72/73 Private Sector in Provider/Aid Recipient/Third Country, 80 Academic, Training and Research,
    /// 90 Other.
    static let organisationTypes: Set<String> = [
        "10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73", "80", "90",
    ]

    /// OrganisationType 11, Local Government: what a partner municipality is.
    static let localGovernment = "11"
}
