import Foundation

/// A raw message as Python's `email` package reads it (`scripts/test-servers/parse_mail.py`): an
/// independent reader, so tests of the MIME renderer do not check it against its own assumptions.
public struct ParsedMail: Sendable, Decodable {
    /// One leaf part of the body, decoded.
    public struct Part: Sendable, Decodable {
        /// `text/plain`, `text/html`.
        public var contentType: String
        /// The declared charset.
        public var charset: String?
        /// The declared `Content-Transfer-Encoding`.
        public var transferEncoding: String?
        /// The decoded text, with LF line ends (CRLF on the wire).
        public var content: String
    }

    /// The header fields in order, values decoded (encoded-words turned back into text).
    public var headers: [[String]]
    /// The mailboxes of `From` and `To`, each as `[display name, address]` (the name empty when absent).
    public var addresses: [String: [[String]]]
    /// The top-level content type, `multipart/alternative` or `text/plain`.
    public var contentType: String
    /// The names of the defects the parser found; a well-formed message has none.
    public var defects: [String]
    /// The leaf parts, in order.
    public var parts: [Part]

    /// The decoded value of the first field named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers(named: name).first
    }

    /// The decoded values of every field named `name` (case-insensitive).
    public func headers(named name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.count > 1 ? $0[1] : nil }
    }

    /// Parses `raw` with Python's `email` package (`policy.default`).
    public static func parse(_ raw: some DataProtocol) async throws -> ParsedMail {
        let interpreter = try await TestPython.interpreter()
        let run = try await ChildProcess.run(interpreter, [TestPython.script("parse_mail.py")], input: Array(raw))
        guard run.status == 0 else {
            throw ChildProcessError(description: "parse_mail.py failed: \(run.stderr)")
        }
        return try JSONDecoder().decode(ParsedMail.self, from: Data(run.stdout.utf8))
    }
}
