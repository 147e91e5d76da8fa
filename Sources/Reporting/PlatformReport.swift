import Foundation
import Gateway
import NIOCore
import Vocabulary

/// A municipality as the platform reports and the command line name it.
public struct Municipality: Sendable, Encodable {
    /// Its tenant id.
    public var id: UUID
    /// Its short name in addresses and on the command line (`roeselare`).
    public var slug: String
    /// Its name.
    public var name: String
}

extension Municipality {
    /// The municipality as the people contract gives it, reduced to what the reports name.
    init(_ municipality: Gateway.Municipality) {
        self.init(id: municipality.id, slug: municipality.slug, name: municipality.name)
    }
}

/// One municipality's report in the platform report.
struct PerMunicipality<Report: Encodable & Sendable>: Sendable, Encodable {
    var municipality: Municipality
    var report: Report
}

/// A platform report: the totals over all municipalities, and each municipality's report.
struct PlatformReport<Report: Encodable & Sendable>: Sendable, Encodable {
    var totals: Report
    var municipalities: [PerMunicipality<Report>]

    /// The totals' rows, then each municipality's, with a first column naming whose (`all` for the totals);
    /// one header line.
    func csv(delimiter: CSVDelimiter, _ render: (Report, CSVDelimiter) -> String) -> String {
        var text = ""
        let parts = [("all", totals)] + municipalities.map { ($0.municipality.slug, $0.report) }
        for (index, (name, report)) in parts.enumerated() {
            let lines = render(report, delimiter).split(separator: "\r\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() where !line.isEmpty && (number > 0 || index == 0) {
                text += (number == 0 ? "municipality" : name) + delimiter.separator + line + "\r\n"
            }
        }
        return text
    }

    /// Each municipality's report, built and (with `encode`) encoded as JSON in as many slices as there are
    /// processors, off the connection's thread: three hundred municipalities' reports are most of the
    /// answer's time.
    static func perMunicipality(
        _ municipalities: [Municipality],
        encode: Bool,
        _ report: @escaping @Sendable (Municipality) -> Report
    ) async throws -> (reports: [PerMunicipality<Report>], json: [Data]) {
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, municipalities.count / 20))
        let size = (municipalities.count + slices - 1) / slices
        let parts = try await withThrowingTaskGroup(of: (Int, [PerMunicipality<Report>], Data).self) { group in
            for slice in 0..<slices {
                let part = municipalities[
                    min(slice * size, municipalities.count)..<min((slice + 1) * size, municipalities.count)]
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    let reports = part.map { PerMunicipality(municipality: $0, report: report($0)) }
                    guard encode else { return (slice, reports, Data()) }
                    let encoder = LowercaseUUIDJSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    var json = Data()
                    for (index, item) in reports.enumerated() {
                        if index > 0 { json.append(UInt8(ascii: ",")) }
                        json.append(try encoder.encode(item))
                    }
                    return (slice, reports, json)
                }
            }
            var parts = [([PerMunicipality<Report>], Data)](repeating: ([], Data()), count: slices)
            for try await (slice, reports, json) in group { parts[slice] = (reports, json) }
            return parts
        }
        return (parts.flatMap(\.0), parts.map(\.1).filter { !$0.isEmpty })
    }

    /// The report's JSON, as encoding the whole value at once gives it, from the municipalities' JSON
    /// encoded in slices (`perMunicipality(_:encode:_:)`).
    static func jsonBody(totals: Report, municipalities: [Data]) throws -> ByteBuffer {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var buffer = ByteBuffer()
        buffer.writeString(#"{"municipalities":["#)
        for (index, part) in municipalities.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeBytes(part)
        }
        buffer.writeString(#"],"totals":"#)
        buffer.writeBytes(try encoder.encode(totals))
        buffer.writeString("}")
        return buffer
    }
}

/// A platform report with, when asked for, its JSON encoded in slices.
struct EncodedPlatformReport<Report: Encodable & Sendable>: Sendable {
    var report: PlatformReport<Report>
    /// The municipalities' JSON, for `PlatformReport.jsonBody(totals:municipalities:)`; empty unless asked.
    var json: [Data]
}
