import CLibPQ
import Logging

/// Owns a `PGconn`; `PQfinish` runs when the last reference goes, whatever path led there.
final class ConnectionHandle {
    let pointer: OpaquePointer
    private var noticeSink: NoticeSink?

    /// Sends the server's notices (`NOTICE: relation … already exists, skipping`) to the logger at debug
    /// level instead of libpq's default, standard error, and remembers a FATAL one: the server sends that
    /// (`terminating connection due to administrator command`) just before it closes the connection.
    func routeNotices(to logger: Logger) {
        let sink = NoticeSink(logger: logger)
        noticeSink = sink
        PQsetNoticeReceiver(
            pointer,
            { context, result in
                guard let context, let result else { return }
                let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
                let severity = PQresultErrorField(result, Int32(Character("V").asciiValue!)).map { String(cString: $0) }
                if severity == "FATAL" || severity == "PANIC" { sink.serverIsClosing = true }
                let message = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
                sink.logger.debug("postgres notice: \(message.trimmingTrailingWhitespace())")
            },
            Unmanaged.passUnretained(sink).toOpaque()
        )
    }

    /// True once the server announced, with a FATAL message, that it is closing this connection.
    var serverIsClosing: Bool { noticeSink?.serverIsClosing ?? false }

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQfinish(pointer)
    }

    var errorMessage: String {
        String(cString: PQerrorMessage(pointer)).trimmingTrailingWhitespace()
    }
}

/// The logger a connection's notices go to; the handle keeps it alive as long as libpq may call it.
final class NoticeSink {
    let logger: Logger
    var serverIsClosing = false

    init(logger: Logger) {
        self.logger = logger
    }
}
