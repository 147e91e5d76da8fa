import Foundation
import Gateway
import Postgres

/// Results from a spreadsheet: `POST /api/v1/imports/results`, the `/import` page and `stedenband import results`.
extension ResultsService {
    /// Imports results, indicators, periods and their values from a CSV file, all or nothing, in the caller's
    /// transaction (administrators and coordinators).
    ///
    /// - Throws: 403 for anyone else; a 422 ``Problem`` listing every bad row, column and reason, in which case
    ///   the caller's transaction must roll back (the API's and the command's do: they fail).
    public func importCSV(
        _ csv: @autoclosure () async throws -> Data, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> ImportedResults {
        try access.requireWrite("results")
        do {
            return try await importCheckedCSV(try await csv(), access: access, on: connection)
        } catch let refused as ResultImportRefused {
            throw refused.problem
        }
    }

    /// ``importCSV(_:access:on:)`` with the refusal as keys: the `/import` page words each reason in the person's
    /// language.
    ///
    /// - Throws: ``ResultImportRefused`` listing every bad row, column and reason; what the rows before wrote
    ///   stays in the transaction, which the caller rolls back (a page answering 422 does).
    func importCheckedCSV(_ csv: Data, access: TenantAccess, on connection: PostgresConnection) async throws
        -> ImportedResults
    {
        try access.requireWrite("results")
        let rows = try ResultImporter.rows(csv)
        var run = try await ResultImportRun(service: self, access: access, connection: connection)
        for row in rows {
            try await run.apply(row)
            if run.problems.count >= ResultImporter.maximumReportedErrors { break }
        }
        if !run.problems.isEmpty {
            throw ResultImportRefused(problems: Array(run.problems.prefix(ResultImporter.maximumReportedErrors)))
        }
        return run.imported
    }
}
