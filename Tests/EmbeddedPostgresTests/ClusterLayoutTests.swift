import Foundation
import Testing

@testable import EmbeddedPostgres

@Suite("ClusterLayout")
struct ClusterLayoutTests {
    @Test func relativeFoldersAreTakenFromTheWorkingDirectory() {
        let layout = ClusterLayout(directory: ".stedenband/postgres/", currentDirectory: "/srv/app")
        #expect(layout.directory == "/srv/app/.stedenband/postgres")
        #expect(layout.dataDirectory == "/srv/app/.stedenband/postgres/data")
        #expect(layout.logFile == "/srv/app/.stedenband/postgres/postgres.log")
        #expect(ClusterLayout(directory: "/a/b/../c/./d", currentDirectory: "/x").directory == "/a/c/d")
    }

    @Test func shortFoldersKeepTheSocketInside() {
        let layout = ClusterLayout(directory: "/srv/app/.stedenband/postgres")
        #expect(layout.socketDirectory == "/srv/app/.stedenband/postgres/run")
        #expect(layout.socketFile == "/srv/app/.stedenband/postgres/run/.s.PGSQL.5432")
        #expect(!layout.usesFallbackSocketDirectory)
    }

    @Test func socketPathLimitIsExact() {
        // "/run/.s.PGSQL.5432" is 18 bytes: a folder of 89 bytes fits exactly 107, one more does not.
        let fits = "/" + String(repeating: "f", count: 88)
        #expect(ClusterLayout(directory: fits).socketFile.utf8.count == 107)
        #expect(!ClusterLayout(directory: fits).usesFallbackSocketDirectory)
        let tooLong = ClusterLayout(directory: fits + "g")
        #expect(tooLong.usesFallbackSocketDirectory)
        #expect(tooLong.socketDirectory == "/tmp/stedenband-pg-" + ClusterLayout.hexFNV1a(fits + "g"))
    }

    @Test func fallbackNameIsAStableHashOfThePath() {
        // Published FNV-1a 32-bit test vectors.
        #expect(ClusterLayout.hexFNV1a("") == "811c9dc5")
        #expect(ClusterLayout.hexFNV1a("a") == "e40c292c")
        #expect(ClusterLayout.hexFNV1a("foobar") == "bf9cf968")
        let long = "/" + String(repeating: "x", count: 120)
        #expect(
            ClusterLayout(directory: long).fallbackSocketDirectory
                != ClusterLayout(directory: long + "y").fallbackSocketDirectory)
    }

    @Test func defaultDirectoryFollowsStedenbandHome() {
        #expect(EmbeddedPostgres.defaultDirectory(environment: [:]) == ".stedenband/postgres")
        #expect(EmbeddedPostgres.defaultDirectory(environment: ["STEDENBAND_HOME": ""]) == ".stedenband/postgres")
        #expect(
            EmbeddedPostgres.defaultDirectory(environment: ["STEDENBAND_HOME": "/var/lib/sb/"])
                == "/var/lib/sb/postgres")
    }

    @Test func settingsQuoteTheSocketFolder() {
        #expect(Cluster.configurationString(#"/tmp/it's "here"\x"#) == #"/tmp/it''s "here"\\x"#)
    }

    @Test func leaseURLsPercentEncodeEverythingButUnreservedCharacters() {
        #expect(EmbeddedPostgres.Lease.percentEncoded("/tmp/a b/c-d_e.f~g") == "%2Ftmp%2Fa%20b%2Fc-d_e.f~g")
        #expect(EmbeddedPostgres.Lease.percentEncoded("db?x=1&y#z") == "db%3Fx%3D1%26y%23z")
    }
}
