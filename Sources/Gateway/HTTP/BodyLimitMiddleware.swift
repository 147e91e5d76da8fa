import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The most a request body may hold on routes under `/api/v1/imports/`: a spreadsheet of about 100,000 rows.
public let maximumImportRequestBodySize = 16 << 20

/// Reads every request body into memory, within its route's limit and in time, before anything else runs:
/// authentication borrows a database connection only for a request that has arrived whole, so a client that
/// sends slowly holds a socket, never a connection or a transaction.
///
/// A body announced or found larger than the route's limit (1 MiB; 16 MiB for imports) is a 413; a body
/// that does not arrive within ``BodyReadTimeouts`` is a 408. A body cut short either way leaves the
/// connection unreadable, so it is closed after the answer.
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeouts: BodyReadTimeouts

    /// Makes the middleware.
    public init(timeouts: BodyReadTimeouts = BodyReadTimeouts()) {
        self.timeouts = timeouts
    }

    /// The limit of a route's body, by its path.
    public static func limit(forPath path: String) -> Int {
        path.hasPrefix("/api/v1/imports/") ? maximumImportRequestBodySize : maximumRequestBodySize
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let limit = Self.limit(forPath: request.uri.path)
        let length = request.headers[.contentLength].flatMap { Int($0) }
        if let length, length > limit {
            throw Problem.payloadTooLarge(limit: limit)
        }
        // HTTP/1.1 sends a body only with a length or a transfer coding.
        guard request.headers[.transferEncoding] != nil || (length ?? 0) > 0 else {
            return try await next(request, context)
        }
        var request = request
        request.body = .init(buffer: try await Self.read(request.body, upTo: limit, timeouts: timeouts))
        return try await next(request, context)
    }

    /// The body, read whole; 413 past `limit`, 408 past the timeouts.
    ///
    /// The reader and a watchdog race in a task group. When the watchdog wins, the reader is cancelled in
    /// the middle of its read, which ends the connection's inbound stream: after the 408 is written the
    /// server closes the connection instead of reading on.
    static func read<Body: AsyncSequence & Sendable>(
        _ body: Body, upTo limit: Int, timeouts: BodyReadTimeouts
    ) async throws -> ByteBuffer where Body.Element == ByteBuffer {
        let clock = ContinuousClock()
        let started = clock.now
        let progress = Progress(started)
        return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                var collected = ByteBuffer()
                var parts = body.makeAsyncIterator()
                while let part = try await parts.next() {
                    progress.touch(clock.now)
                    guard collected.readableBytes + part.readableBytes <= limit else {
                        // End the inbound stream as the watchdog does: a read in a cancelled task ends it, so
                        // the connection is closed after the 413 rather than read to the end of the body.
                        withUnsafeCurrentTask { $0?.cancel() }
                        _ = try? await parts.next()
                        throw Problem.payloadTooLarge(limit: limit)
                    }
                    collected.writeImmutableBuffer(part)
                }
                return collected
            }
            group.addTask {
                let wholeDeadline = started.advanced(by: timeouts.whole)
                while true {
                    let deadline = min(wholeDeadline, progress.last.advanced(by: timeouts.betweenBytes))
                    if clock.now >= deadline { return nil }
                    try await Task.sleep(until: deadline, clock: clock)
                }
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let collected = first else {
                throw Problem.requestTimeout(timeouts)
            }
            return collected
        }
    }

    /// When the body last made progress, shared by the reader and the watchdog.
    final class Progress: Sendable {
        private let instant: Mutex<ContinuousClock.Instant>

        init(_ start: ContinuousClock.Instant) { instant = Mutex(start) }

        var last: ContinuousClock.Instant { instant.withLock { $0 } }

        func touch(_ now: ContinuousClock.Instant) { instant.withLock { $0 = now } }
    }
}

extension Problem {
    /// 408: the body did not arrive in time; the connection is closed after this answer.
    public static func requestTimeout(_ timeouts: BodyReadTimeouts) -> Problem {
        var headers = HTTPFields()
        headers[.connection] = "close"
        return Problem(
            type: "/problems/request-timeout",
            title: "Request timeout",
            status: .requestTimeout,
            detail: """
                the request body must arrive within \(timeouts.whole.shownSeconds) seconds, with no pause longer \
                than \(timeouts.betweenBytes.shownSeconds) seconds
                """,
            headers: headers
        )
    }
}
