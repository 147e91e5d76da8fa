import Foundation
import MultipartKit
import NIOCore

/// A file sent by a page's form (`multipart/form-data`): the `/import` page's uploads.
public enum UploadedFile {
    /// The bytes of the form's part `name`, as sent; `nil` when the body has no such part or is not multipart.
    public static func part(named name: String, in body: ByteBuffer, contentType: String) -> Data? {
        guard let start = contentType.range(of: "boundary=", options: .caseInsensitive) else { return nil }
        let boundary =
            contentType[start.upperBound...].split(separator: ";").first?
            .trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) ?? ""
        guard !boundary.isEmpty else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var disposition = ""
        var part = ByteBuffer()
        var found: Data?
        parser.onHeader = { field, value in
            if field.lowercased() == "content-disposition" { disposition = value }
        }
        parser.onBody = { chunk in part.writeBuffer(&chunk) }
        parser.onPartComplete = {
            if found == nil, disposition.contains("name=\"\(name)\"") { found = Data(part.readableBytesView) }
            disposition = ""
            part = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            return nil
        }
        return found
    }
}
