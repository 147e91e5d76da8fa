# stedenband container image: `docker compose up --build` (see docker-compose.yml).
#
# The image has no PostgreSQL server binaries: give `serve` a DATABASE_URL of its own login
# (a member of stedenband_app only; `stedenband database create-login` makes one) and the
# one-off `migrate` a MIGRATION_DATABASE_URL of the owner's (docs/database.md). The embedded
# database (used without either) is for development machines only.

# ---- build ------------------------------------------------------------------------
# Package.swift needs Swift tools 6.1 or later. 6.3 is the toolchain the project is
# developed and tested with (make test / CI use 6.3.1), so the release build sees the
# same compiler and language features; bookworm matches the runtime stage below, so
# the binary links against the same Debian 12 libpq.
FROM swift:6.3-bookworm AS build

RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libpq-dev libcurl4-openssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Resolve dependencies in a layer of their own: it is rebuilt only when the manifest
# (or a Package.resolved in the build context) changes, not on every source edit.
COPY Package.* ./
RUN swift package resolve $([ -f Package.resolved ] && echo --force-resolved-versions)

COPY . .

# The Swift runtime and Foundation are linked in statically; libpq and libcurl stay
# shared libraries (libpq5 and libcurl4 in the runtime stage). The migrations, page and
# mail templates and the stylesheet are built into the binary (Plugins/EmbedFiles): it
# needs no file beside it. swift-backtrace-static prints a symbolicated backtrace if the
# server ever crashes.
RUN swift build -c release --product stedenband --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/stedenband" /staging/ \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/

# ---- runtime ----------------------------------------------------------------------
FROM debian:bookworm-slim

# libpq5: the PostgreSQL client library. ca-certificates: TLS to a managed database
# (sslmode=verify-full). tzdata: partner coordinators' time zones for digests.
# libcurl4: the SMTP and HTTP client behind digests by e-mail and webhook. curl: only
# for the healthcheck in docker-compose.yml (GET /readyz); the slim image has no other
# HTTP client, and `sh` here is dash, without /dev/tcp. No libxml2: FoundationXML is
# not used.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libpq5 libcurl4 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin stedenband

WORKDIR /app

# Owned by root and read-only for the server: it writes nothing to disk.
COPY --from=build /staging/ /app/

USER stedenband:stedenband

ENV HOST=0.0.0.0 \
    PORT=8080 \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=none,interactive=no,swift-backtrace=/app/swift-backtrace-static

EXPOSE 8080

# No HEALTHCHECK here: docker-compose.yml declares it (orchestrators have their own probes:
# /healthz for liveness, /readyz for readiness).
ENTRYPOINT ["/app/stedenband"]
CMD ["serve"]
