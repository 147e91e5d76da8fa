import Foundation

extension PostgresConnection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// With a `tenantID`, the transaction is scoped to that tenant: `app.tenant_id` is set for the transaction
    /// only, so row-level security policies see that tenant and nothing else (`BEGIN` and `set_config` travel
    /// in one round trip).
    ///
    /// A failing `COMMIT` throws (serialization failures and deferred constraints surface here), and so
    /// does a `COMMIT` that the server turned into a rollback because an earlier statement failed.
    @discardableResult
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        tenantID: UUID? = nil,
        readOnly: Bool = false,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        if let tenantID {
            try await beginTenantTransaction(tenantID: tenantID, readOnly: readOnly)
        } else {
            try await query(readOnly ? "BEGIN READ ONLY" : "BEGIN")
        }
        return try await finishTransaction(isolation: isolation, body)
    }

    private func beginTenantTransaction(tenantID: UUID, readOnly: Bool) throws(PostgresError) {
        let begin: PostgresQuery = readOnly ? "BEGIN READ ONLY" : "BEGIN"
        do {
            let setTenant: PostgresQuery = "SELECT set_config('app.tenant_id', \(tenantID.postgresText), true)"
            _ = try pipeline([begin, setTenant], noteSessionState: false)
        } catch {
            if isInTransaction { _ = try? query("ROLLBACK") }
            throw error
        }
    }

    private func finishTransaction<Result>(
        isolation: isolated (any Actor)?,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let result: Result
        do {
            result = try await body(self)
        } catch {
            // The original error matters more than a failed rollback; a broken connection is not reused.
            _ = try? await query("ROLLBACK")
            throw error
        }
        try await commit()
        return result
    }

    /// Commits the open transaction. Throws when the `COMMIT` fails, and when the server turned it into a
    /// rollback because an earlier statement failed (its command tag is then `ROLLBACK`).
    public func commit() throws(PostgresError) {
        let commit = try query("COMMIT")
        if commit.commandTag == "ROLLBACK" {
            throw PostgresError(
                code: .transactionRolledBack,
                reason: "the transaction was rolled back at COMMIT because an earlier statement failed",
                query: "COMMIT"
            )
        }
    }
}
