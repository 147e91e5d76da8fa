import Delivery
import Testing

@Suite("Reading SMTP_URL")
struct SMTPConfigurationTests {
    @Test("requires STARTTLS on smtp:// by default, on the submission port")
    func startTLSByDefault() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.org")
        #expect(configuration.security == .startTLS)
        #expect(configuration.port == 587)
        #expect(configuration.username == nil)
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.transferTimeout == .seconds(60))
    }

    @Test("turns TLS off only with ?starttls=off, and uses implicit TLS for smtps://")
    func tlsForms() throws {
        let relay = try SMTPConfiguration(url: "smtp://localhost?starttls=off")
        #expect(relay.security == .none)
        #expect(relay.port == 25)
        let implicit = try SMTPConfiguration(url: "smtps://mail.example.org")
        #expect(implicit.security == .implicitTLS)
        #expect(implicit.port == 465)
        let privateCA = try SMTPConfiguration(url: "smtp://mail.example.org:2525?cacert=/etc/ssl/private-ca.pem")
        #expect(privateCA.security == .startTLS)
        #expect(privateCA.port == 2525)
        #expect(privateCA.caCertificatePath == "/etc/ssl/private-ca.pem")
    }

    @Test("percent-decodes the user and password, and never shows the password")
    func credentials() throws {
        let configuration = try SMTPConfiguration(url: "smtp://apikey%40tenant:p%40ss%3Aw%2Frd@mail.example.org:587")
        #expect(configuration.username == "apikey@tenant")
        #expect(configuration.password == "p@ss:w/rd")
        #expect(!configuration.description.contains("p@ss"))
        #expect(!configuration.description.contains("p%40ss"))
        #expect(configuration.description.contains("mail.example.org:587"))
    }

    @Test("takes the path as the EHLO name")
    func heloName() throws {
        #expect(
            try SMTPConfiguration(url: "smtp://mail.example.org/stedenband.example").heloName == "stedenband.example")
        #expect(try SMTPConfiguration(url: "smtp://mail.example.org/").heloName == nil)
    }

    @Test("accepts an IPv6 literal host")
    func ipv6Host() throws {
        let configuration = try SMTPConfiguration(url: "smtp://[::1]:2525?starttls=off")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 2525)
    }

    @Test("refuses other schemes, a missing host, unknown options and starttls=off on smtps://")
    func refusesBadURLs() {
        for url in [
            "http://mail.example.org", "smtp://", "smtp://mail.example.org?starttls=of",
            "smtp://mail.example.org?tls=off", "smtps://mail.example.org?starttls=off", "not a url",
        ] {
            let error = #expect(throws: DeliveryError.self, "\(url)") { try SMTPConfiguration(url: url) }
            #expect(error?.isTransient == false)
        }
    }
}
