import Foundation
import Logging

extension EmbeddedPostgres {
    /// One user's hold on a running embedded cluster: while any lease lives, the cluster stays up.
    ///
    /// Call ``release()`` when done; the last lease released, across all processes, stops the server.
    /// A lease dropped without ``release()`` (or held by a process that dies) gives up its hold but
    /// stops nothing: the server keeps running until the next ``EmbeddedPostgres/start()`` and release.
    public final class Lease: Sendable {
        /// The libpq connection URL, e.g. `postgres://postgres@localhost:5432/stedenband?host=%2F...%2Frun`:
        /// `host` names the unix socket folder, which libpq prefers over the authority's host.
        public let url: String
        /// The folder holding the server's unix socket.
        public let socketDirectory: String
        /// The port number that names the socket file (`.s.PGSQL.<port>`); nothing listens on TCP.
        public let port: Int
        /// The superuser role to connect as, `postgres`; the socket needs no password.
        public let superuser: String
        /// The database created by ``EmbeddedPostgres/start()``.
        public let databaseName: String

        private let cluster: Cluster
        private let use: LeaseUse

        init(cluster: Cluster, databaseName: String, file: LeaseFile) {
            self.cluster = cluster
            self.socketDirectory = cluster.layout.socketDirectory
            self.port = ClusterLayout.port
            self.superuser = Cluster.superuser
            self.databaseName = databaseName
            self.url =
                "postgres://\(Self.percentEncoded(Cluster.superuser))@localhost:\(ClusterLayout.port)/"
                + "\(Self.percentEncoded(databaseName))?host=\(Self.percentEncoded(cluster.layout.socketDirectory))"
            self.use = LeaseUse(file: file)
        }

        /// Releases this process's use; the last user out stops the cluster (fast shutdown: open
        /// sessions are ended). Releasing twice does nothing the second time.
        ///
        /// - Throws: `EmbeddedPostgresError` with code `lockFailed` or `stopFailed`; the lease is
        ///   released even then.
        public func release() async throws {
            guard let file = await use.take() else { return }
            let control: FileLock
            do {
                control = try await FileLock.acquire(cluster.layout.controlLockFile)
            } catch {
                file.remove()
                throw error
            }
            defer { control.release() }
            file.remove()
            // Nobody can add a lease now (that needs control.lock), so none left means nobody uses the server.
            let others = LeaseFile.liveCount(in: cluster.layout.leasesDirectory, logger: cluster.logger)
            guard others == 0 else {
                cluster.logger.info(
                    "Leaving the embedded PostgreSQL running for its other users",
                    metadata: ["postgres.leases": "\(others)"]
                )
                return
            }
            try await cluster.stopIfRunning()
        }

        /// `text` with everything but RFC 3986 unreserved characters percent-encoded.
        static func percentEncoded(_ text: String) -> String {
            var unreserved = CharacterSet(charactersIn: "-._~")
            unreserved.formUnion(CharacterSet(charactersIn: "a"..."z"))
            unreserved.formUnion(CharacterSet(charactersIn: "A"..."Z"))
            unreserved.formUnion(CharacterSet(charactersIn: "0"..."9"))
            return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
        }
    }
}

/// The lease file, held until the lease is released or deinitialised.
private actor LeaseUse {
    private var file: LeaseFile?

    init(file: LeaseFile) {
        self.file = file
    }

    /// Hands the file over once; later calls get `nil`.
    func take() -> LeaseFile? {
        defer { file = nil }
        return file
    }

    deinit {
        file?.remove()
    }
}
