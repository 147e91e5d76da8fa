// swift-tools-version:6.1
// stedenband: a plugin-based modular server for municipal international cooperation.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "stedenband",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stedenband", targets: ["Stedenband"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
    ],
    targets: [
        // The only target that touches C: libpq's headers, found through pkg-config.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // The shared words of the domain as Swift types: statuses, kinds, directions, money, dates, SDG ids,
        // languages and localisation tables. Foundation only: contracts, plugins and the database client use it.
        .target(
            name: "Vocabulary",
            swiftSettings: swiftSettings
        ),
        // This project's own safe Swift client over libpq.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                "Vocabulary",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // libcurl's headers, found through pkg-config: its SMTP and HTTP clients carry e-mail and webhooks.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Outbound delivery: e-mail over SMTP (MIME messages) and signed webhooks, through libcurl.
        .target(
            name: "Delivery",
            dependencies: [
                "CCurl",
                "Encodings",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // IATI 2.03 activity documents from a municipality's activities, for the Reporting plugin's export.
        .target(
            name: "IATI",
            dependencies: ["Vocabulary"],
            swiftSettings: swiftSettings
        ),
        // A private PostgreSQL cluster made from the server binaries on the machine.
        .target(
            name: "EmbeddedPostgres",
            dependencies: [
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: swiftSettings
        ),
        // Hex, base64url and random tokens: how secrets, hashes and cursors are written, in one place.
        .target(
            name: "Encodings",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),
        // W3C trace context: the trace a request, its events and the jobs they cause share, carried in a task-local
        // value and added to every log line (docs/logs-and-traces.md).
        .target(
            name: "RequestTracing",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ],
            swiftSettings: swiftSettings
        ),
        // The kernel's event bus and durable job queue in PostgreSQL.
        .target(
            name: "Messaging",
            dependencies: [
                "Postgres",
                "RequestTracing",
                "Vocabulary",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Plugins: the protocol every domain module implements, and how they are put together.
        .target(
            name: "Kernel",
            dependencies: [
                "Gateway",
                "Messaging",
                "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The SDG catalogue, countries and currencies, generated from ../shared/data.
        .target(
            name: "ReferenceData",
            dependencies: ["Vocabulary"],
            exclude: ["LICENSE-open-sdg.txt"],
            swiftSettings: swiftSettings
        ),
        // The catalogue plugin: GET /api/v1/sdgs.
        .target(
            name: "Catalogue",
            dependencies: [
                "Gateway",
                "Kernel",
                "ReferenceData",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // Spreadsheets' CSV files as tables, and their dates and numbers as Belgian spreadsheets write them: the
        // reading the imports of activities and of results share.
        .target(
            name: "CSV",
            dependencies: ["Vocabulary"],
            swiftSettings: swiftSettings
        ),
        // The Activities plugin and its events.
        .target(
            name: "ActivitiesContracts",
            dependencies: ["Messaging", "Vocabulary"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Activities",
            dependencies: [
                "ActivitiesContracts",
                "CSV",
                "Gateway",
                "Kernel",
                "Messaging",
                "PartnershipCopy",
                "PartnershipsContracts",
                "Postgres",
                "ReferenceData",
                "Vocabulary",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // The activities' pages.
            exclude: ["Templates"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // The Partnerships plugin and its events.
        .target(
            name: "PartnershipsContracts",
            dependencies: ["Messaging", "Vocabulary"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Partnerships",
            dependencies: [
                "ActivitiesContracts",
                "Gateway",
                "Kernel",
                "Messaging",
                "PartnershipsContracts",
                "Postgres",
                "ReferenceData",
                "Vocabulary",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Templates"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // The Results plugin (results, indicators, reporting periods and the values reported for them) and its
        // events.
        .target(
            name: "ResultsContracts",
            dependencies: ["Messaging", "Vocabulary"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Results",
            dependencies: [
                "ActivitiesContracts",
                "CSV",
                "Gateway",
                "Kernel",
                "Messaging",
                "PartnershipCopy",
                "PartnershipsContracts",
                "Postgres",
                "ReferenceData",
                "ResultsContracts",
                "Vocabulary",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Templates"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // Lessons from both sides of a partnership, the library that shares them across municipalities, and the
        // public showcase's lessons (issue 18), and their events.
        .target(
            name: "LearningContracts",
            dependencies: ["Messaging", "Vocabulary"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Learning",
            dependencies: [
                "ActivitiesContracts",
                "Gateway",
                "Kernel",
                "LearningContracts",
                "Messaging",
                "PartnershipCopy",
                "PartnershipsContracts",
                "Postgres",
                "ReferenceData",
                "Vocabulary",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Templates"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // A plugin's own copy of the partnerships and their members, kept from the Partnerships events in the
        // plugin's own tables (Activities, Results, Notifications, Reporting, Learning), and of the activities
        // (Results, Learning).
        .target(
            name: "PartnershipCopy",
            dependencies: ["ActivitiesContracts", "Messaging", "PartnershipsContracts", "Postgres", "Vocabulary"],
            swiftSettings: swiftSettings
        ),
        // Digests of what changed, for the members of each partnership, by e-mail and webhook.
        .target(
            name: "Notifications",
            dependencies: [
                "ActivitiesContracts",
                "Delivery",
                "Encodings",
                "RequestTracing",
                "Gateway",
                "Kernel",
                "LearningContracts",
                "Messaging",
                "PartnershipCopy",
                "PartnershipsContracts",
                "Postgres",
                "ResultsContracts",
                "Vocabulary",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Templates"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // SDG, budget and reciprocity figures from a read model built by events; the IATI export.
        .target(
            name: "Reporting",
            dependencies: [
                "ActivitiesContracts",
                "Gateway",
                "IATI",
                "Kernel",
                "LearningContracts",
                "Messaging",
                "PartnershipCopy",
                "PartnershipsContracts",
                "Postgres",
                "ReferenceData",
                "ResultsContracts",
                "Vocabulary",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Templates"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // A plugin that checks the event pipeline from end to end, and its event.
        .target(
            name: "DiagnosticsContracts",
            dependencies: ["Messaging"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Diagnostics",
            dependencies: ["DiagnosticsContracts", "Kernel", "Messaging", "Postgres"],
            swiftSettings: swiftSettings
        ),
        // The schema migration runner behind `stedenband migrate`.
        .target(
            name: "Migrations",
            dependencies: [
                "Encodings",
                "MigrationFiles",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The SQL files of migrations/, built into the binary. The folder is this module's own, so that SwiftPM
        // plans the build again when a file is added, renamed or removed.
        .target(
            name: "MigrationFiles",
            path: "migrations",
            sources: ["MigrationFiles.swift"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // Builds a module's templates and assets (and the Migrations module's SQL files) into the binary, so
        // that it runs copied alone into any folder. EmbedFilesTool writes the Swift file the plugin adds.
        .plugin(
            name: "EmbedFiles",
            capability: .buildTool(),
            dependencies: ["EmbedFilesTool"]
        ),
        .executableTarget(
            name: "EmbedFilesTool",
            swiftSettings: swiftSettings
        ),
        // The thin Hummingbird 2 HTTP gateway.
        .target(
            name: "Gateway",
            dependencies: [
                "Delivery",
                "Encodings",
                "Migrations",
                "ReferenceData",
                "RequestTracing",
                "Vocabulary",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "Postgres",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The page shell (layout, the sign-in and settings pages) and the one stylesheet, built into the
            // binary by the EmbedFiles plugin.
            exclude: ["Pages/Templates", "Pages/Assets"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // Sign-in with a municipality's own OpenID Connect provider: discovery, PKCE, the code exchange, the ID
        // token checked against the provider's keys (jwt-kit), and the two pages under /sign-in/oidc.
        .target(
            name: "OpenIDConnect",
            dependencies: [
                "Delivery",
                "Encodings",
                "Gateway",
                "Postgres",
                "Vocabulary",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `stedenband` command: serve, worker, migrate, and the administrators' commands.
        .executableTarget(
            name: "Stedenband",
            dependencies: [
                "Activities",
                "Catalogue",
                "Delivery",
                "Diagnostics",
                "DiagnosticsContracts",
                "EmbeddedPostgres",
                "Encodings",
                "Partnerships",
                "PartnershipsContracts",
                "Gateway",
                "Kernel",
                "Learning",
                "Messaging",
                "Migrations",
                "Notifications",
                "OpenIDConnect",
                "Postgres",
                "Reporting",
                "RequestTracing",
                "Results",
                "Vocabulary",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // `make bench-queue`: the queue's throughput and latency, beside pgqueuer's on the same cluster.
        .executableTarget(
            name: "QueueBenchmark",
            dependencies: [
                "EmbeddedPostgres",
                "Messaging",
                "Migrations",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/QueueBenchmark",
            swiftSettings: swiftSettings
        ),
        // `make bench-digests`: digests for 10,000 users built, rendered and accepted by a local SMTP server.
        .executableTarget(
            name: "DigestBenchmark",
            dependencies: [
                "Delivery",
                "EmbeddedPostgres",
                "Gateway",
                "Kernel",
                "Messaging",
                "Migrations",
                "Notifications",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/DigestBenchmark",
            swiftSettings: swiftSettings
        ),
        // The read model of many municipalities written straight into the database, for `make bench-reports` and
        // `make bench-showcase`.
        // What `make bench` and `make bench-showcase` share: running wrk and pgbench, the figures' arithmetic.
        .target(
            name: "BenchmarkSupport",
            dependencies: ["EmbeddedPostgres"],
            path: "Benchmarks/BenchmarkSupport",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BenchmarkSeed",
            dependencies: ["Postgres"],
            path: "Benchmarks/BenchmarkSeed",
            swiftSettings: swiftSettings
        ),
        // `make bench-reports`: the report endpoints over a read model of 300 municipalities.
        .executableTarget(
            name: "ReportBenchmark",
            dependencies: [
                "ActivitiesContracts",
                "BenchmarkSeed",
                "EmbeddedPostgres",
                "Gateway",
                "Kernel",
                "Messaging",
                "Migrations",
                "Postgres",
                "Reporting",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ReportBenchmark",
            swiftSettings: swiftSettings
        ),
        // `make bench-showcase`: the public showcase's pages at the server with 300 municipalities, beside pgbench.
        .executableTarget(
            name: "ShowcaseBenchmark",
            dependencies: [
                "BenchmarkSeed",
                "BenchmarkSupport",
                "EmbeddedPostgres",
                "Migrations",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ShowcaseBenchmark",
            swiftSettings: swiftSettings
        ),
        // `make bench-delivery`: events delivered to Reporting and Notifications, batched and one by one.
        .executableTarget(
            name: "DeliveryBenchmark",
            dependencies: [
                "ActivitiesContracts",
                "EmbeddedPostgres",
                "Gateway",
                "Kernel",
                "Messaging",
                "Migrations",
                "Notifications",
                "PartnershipsContracts",
                "Postgres",
                "Reporting",
                "Vocabulary",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/DeliveryBenchmark",
            swiftSettings: swiftSettings
        ),
        // `make bench`: the released server under wrk beside pgbench on the same cluster.
        .executableTarget(
            name: "ServerBenchmark",
            dependencies: [
                "BenchmarkSupport",
                "EmbeddedPostgres",
                "Migrations",
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ServerBenchmark",
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets: a real PostgreSQL started by the tests themselves.
        .target(
            name: "TestSupport",
            dependencies: [
                "EmbeddedPostgres",
                "Gateway",
                "Messaging",
                "Migrations",
                "Postgres",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresTests",
            dependencies: [
                "Postgres",
                "TestSupport",
                "Vocabulary",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EmbeddedPostgresTests",
            dependencies: [
                "EmbeddedPostgres",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EncodingsTests",
            dependencies: ["Encodings"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MigrationsTests",
            dependencies: [
                "Messaging",
                "Migrations",
                "Postgres",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Delivery",
                "Gateway",
                "Migrations",
                "Postgres",
                "RequestTracing",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MessagingTests",
            dependencies: [
                "Messaging",
                "Postgres",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KernelTests",
            dependencies: [
                "Activities",
                "Catalogue",
                "Learning",
                "Partnerships",
                "Results",
                "Gateway",
                "Kernel",
                "Messaging",
                "Postgres",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CatalogueTests",
            dependencies: [
                "Catalogue",
                "Gateway",
                "Kernel",
                "Messaging",
                "Postgres",
                "ReferenceData",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PartnershipsTests",
            dependencies: [
                "Activities",
                "Delivery",
                "Gateway",
                "Kernel",
                "Messaging",
                "Partnerships",
                "PartnershipsContracts",
                "Postgres",
                "Reporting",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NotificationsTests",
            dependencies: [
                "ResultsContracts",
                "LearningContracts",
                "Activities",
                "Delivery",
                "Gateway",
                "Kernel",
                "Messaging",
                "Notifications",
                "Partnerships",
                "Postgres",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReportingTests",
            dependencies: [
                "Activities",
                "LearningContracts",
                "Results",
                "ResultsContracts",
                "Gateway",
                "Kernel",
                "Messaging",
                "Partnerships",
                "ReferenceData",
                "PartnershipsContracts",
                "ActivitiesContracts",
                "Postgres",
                "Reporting",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ResultsTests",
            dependencies: [
                "Activities",
                "Gateway",
                "Kernel",
                "Messaging",
                "Partnerships",
                "Postgres",
                "Results",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LearningTests",
            dependencies: [
                "Activities",
                "Gateway",
                "Kernel",
                "Learning",
                "LearningContracts",
                "Messaging",
                "Partnerships",
                "Postgres",
                "TestSupport",
                "Vocabulary",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The whole server's routes, every plugin installed, walked as callers who may see only part of it.
        .testTarget(
            name: "ScopeTests",
            dependencies: [
                "Activities",
                "Catalogue",
                "Delivery",
                "Diagnostics",
                "Gateway",
                "Kernel",
                "Learning",
                "Messaging",
                "Notifications",
                "Partnerships",
                "Postgres",
                "Reporting",
                "Results",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `make bench`'s own parts that need no server: wrk's output, the medians, the table and the JSON.
        .testTarget(
            name: "ServerBenchmarkTests",
            dependencies: ["BenchmarkSupport", "ServerBenchmark"],
            swiftSettings: swiftSettings
        ),
        // The benchmarks' seed writes what it says, against the tests' PostgreSQL.
        .testTarget(
            name: "BenchmarkSeedTests",
            dependencies: [
                "BenchmarkSeed",
                "Postgres",
                "TestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VocabularyTests",
            dependencies: [
                "ActivitiesContracts",
                "PartnershipsContracts",
                "Vocabulary",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IATITests",
            dependencies: [
                "IATI",
                "Postgres",
                "TestSupport",
                "Vocabulary",
            ],
            exclude: ["Schema"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery",
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Sign-in through an OpenID provider: the verifier with keys the tests make, the whole flow against
        // oidc-provider-mock started by the tests.
        .testTarget(
            name: "OpenIDConnectTests",
            dependencies: [
                "Delivery",
                "Gateway",
                "OpenIDConnect",
                "Postgres",
                "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `stedenband` binary as an admin would.
        .testTarget(
            name: "CommandTests",
            dependencies: [
                "Gateway",
                "Migrations",
                "Postgres",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
