import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import NIOCore
import Vocabulary

/// The answers the reports' routes encode: JSON, spreadsheet CSV and the printable page.
enum ReportResponse {
    static func json(_ value: some Encodable) throws -> Response {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return json(ByteBuffer(bytes: try encoder.encode(value)))
    }

    static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }

    /// UTF-8 with a byte order mark, so Excel reads the accents right.
    static func csv(_ text: String, name: String) -> Response {
        var buffer = ByteBuffer(bytes: [0xEF, 0xBB, 0xBF])
        buffer.writeString(text)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"stedenband-\(name).csv\"",
            ],
            body: ResponseBody(byteBuffer: buffer))
    }

    /// The report page, under the policy that allows its own stylesheet.
    static func page(_ html: String, policy: PageSecurityPolicy) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: policy.description,
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
