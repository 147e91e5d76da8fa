import Testing
import Vocabulary

@testable import Partnerships

@Suite("Partner countries are named in the reader's language")
struct CountryNameTests {
    @Test("Foundation's region names on Linux: Senegal, Benin, Côte d'Ivoire in Dutch, English, French and Spanish")
    func namesInEachLanguage() {
        #expect(PartnershipTemplates.countryName("SN", .fr) == "Sénégal")
        #expect(PartnershipTemplates.countryName("SN", .es) == "Senegal")
        #expect(PartnershipTemplates.countryName("BJ", .fr) == "Bénin")
        #expect(PartnershipTemplates.countryName("GT", .nl) == "Guatemala")
        #expect(PartnershipTemplates.countryName("ZA", .nl) == "Zuid-Afrika")
        #expect(PartnershipTemplates.countryName("ZA", .en) == "South Africa")
        #expect(PartnershipTemplates.countryName("ZA", .es) == "Sudáfrica")
        #expect(PartnershipTemplates.countryName("CI", .fr) == "Côte d’Ivoire")
    }

    @Test("a code Foundation does not know falls back to the reference data's English name, then to the code")
    func unknownCodes() {
        #expect(PartnershipTemplates.countryName("Q9", .fr) == "Q9")
    }
}
