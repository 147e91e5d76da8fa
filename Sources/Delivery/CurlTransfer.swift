import CCurl
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One libcurl easy handle for one transfer, used from start to end on one ``TransferThreads`` thread.
///
/// Owns everything libcurl points into during the transfer (header lists, the upload, the error buffer)
/// and frees it with the handle, so no option can outlive what it refers to.
final class CurlTransfer {
    /// How a transfer ended: libcurl's result, the last SMTP reply code or HTTP status, and libcurl's
    /// own explanation.
    struct Outcome {
        var result: CURLcode
        var responseCode: Int
        var message: String
    }

    /// `curl_global_init`, run once per process before the first handle: it is not safe to race.
    private static let globalInit: CURLcode = stedenband_curl_global_init()

    private let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var upload: UploadSource?
    private var addressGuard: AddressGuard?
    private var download: DownloadSink?

    /// A handle with the options every transfer here wants: no signals (they are process-wide and
    /// these are threads), no progress meter output, response bodies discarded.
    init() throws(DeliveryError) {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw DeliveryError(isTransient: true, description: "libcurl could not be initialised")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_NOSIGNAL, 1)
        let discard: curl_write_callback = { _, size, count, _ in size * count }
        try check(stedenband_curl_setopt_write_function(handle, discard), option: "WRITEFUNCTION")
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    /// Sets a numeric option.
    func set(_ option: CURLoption, _ value: Int) throws(DeliveryError) {
        try check(stedenband_curl_setopt_long(handle, option, value), option: option)
    }

    /// Sets a string option; libcurl keeps its own copy.
    func set(_ option: CURLoption, _ value: String) throws(DeliveryError) {
        try check(stedenband_curl_setopt_string(handle, option, value), option: option)
    }

    /// Sets a timeout option in milliseconds.
    func set(_ option: CURLoption, milliseconds duration: Duration) throws(DeliveryError) {
        let (seconds, attoseconds) = duration.components
        try set(option, max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)))
    }

    /// Sets a list option (recipients, header lines); the list lives as long as this transfer.
    func set(_ option: CURLoption, list items: [String]) throws(DeliveryError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let longer = curl_slist_append(list, item) else {
                if let list { curl_slist_free_all(list) }
                throw DeliveryError(isTransient: true, description: "libcurl could not allocate a list")
            }
            list = longer
        }
        if let list { lists.append(list) }
        try check(stedenband_curl_setopt_list(handle, option, list), option: option)
    }

    /// Makes the transfer an upload of `bytes` (SMTP `DATA`).
    func setUpload(_ bytes: [UInt8]) throws(DeliveryError) {
        let source = UploadSource(bytes)
        upload = source
        let read: curl_read_callback = { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let source = Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue()
            return source.read(into: buffer, capacity: size * count)
        }
        try check(stedenband_curl_setopt_read_function(handle, read), option: "READFUNCTION")
        try set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(source).toOpaque())
        try check(
            stedenband_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bytes.count)),
            option: "INFILESIZE")
        try set(CURLOPT_UPLOAD, 1)
    }

    /// Keeps the response body, up to `limit` bytes, instead of discarding it: a longer body fails the transfer
    /// (`CURLE_WRITE_ERROR`). Read it from ``responseBody`` after ``perform(cancellation:)``.
    func keepResponseBody(limit: Int) throws(DeliveryError) {
        let sink = DownloadSink(limit: limit)
        download = sink
        let write: curl_write_callback = { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<DownloadSink>.fromOpaque(context).takeUnretainedValue()
            return sink.append(data, count: size * count)
        }
        try check(stedenband_curl_setopt_write_function(handle, write), option: "WRITEFUNCTION")
        try set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(sink).toOpaque())
    }

    /// The response body kept by ``keepResponseBody(limit:)``; empty when none was kept.
    var responseBody: [UInt8] { download?.bytes ?? [] }

    /// Makes the transfer an HTTP POST of `bytes`; libcurl keeps its own copy.
    func setPostBody(_ bytes: [UInt8]) throws(DeliveryError) {
        let size = stedenband_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
        try check(size, option: "POSTFIELDSIZE_LARGE")
        // The pointer must not be null even for an empty body, or libcurl would read the body from a callback.
        let copied = (bytes.isEmpty ? [0] : bytes).withUnsafeBytes { raw in
            stedenband_curl_setopt_pointer(
                handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
        }
        try check(copied, option: "COPYPOSTFIELDS")
    }

    /// Lets the transfer connect only to addresses `policy` permits, checked as each socket is opened, after
    /// the name was resolved: whatever a resolver answers, and whenever it answers, a refused address is never
    /// connected to. The transfer then fails with `CURLE_COULDNT_CONNECT`, and ``refusedEveryAddress`` says
    /// why.
    func connectOnly(to policy: WebhookAddressPolicy) throws(DeliveryError) {
        let addressGuard = AddressGuard(policy: policy)
        self.addressGuard = addressGuard
        let open: curl_opensocket_callback = { context, _, address in
            guard let context, let address else { return stedenband_curl_socket_bad }
            let addressGuard = Unmanaged<AddressGuard>.fromOpaque(context).takeUnretainedValue()
            var bytes = [UInt8](repeating: 0, count: 16)
            let count = Int(stedenband_curl_sockaddr_ip(address, &bytes))
            guard let ip = IPAddress(bytes: bytes.prefix(count)), addressGuard.policy.permits(ip) else {
                addressGuard.refused += 1
                return stedenband_curl_socket_bad
            }
            addressGuard.opened += 1
            return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
        }
        try check(stedenband_curl_setopt_opensocket_function(handle, open), option: "OPENSOCKETFUNCTION")
        try set(CURLOPT_OPENSOCKETDATA, pointer: Unmanaged.passUnretained(addressGuard).toOpaque())
    }

    /// Whether ``connectOnly(to:)`` refused every address the transfer tried, and so it never connected.
    var refusedEveryAddress: Bool {
        guard let addressGuard else { return false }
        return addressGuard.refused > 0 && addressGuard.opened == 0
    }

    /// Runs the transfer on the current thread, giving up soon after `cancellation` is raised.
    func perform(cancellation: CancellationFlag) -> Outcome {
        let progress: curl_xferinfo_callback = { context, _, _, _, _ in
            guard let context else { return 0 }
            return Unmanaged<CancellationFlag>.fromOpaque(context).takeUnretainedValue().isRaised ? 1 : 0
        }
        _ = stedenband_curl_setopt_xferinfo_function(handle, progress)
        _ = stedenband_curl_setopt_pointer(
            handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(cancellation).toOpaque())
        _ = stedenband_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        let result = withExtendedLifetime(cancellation) { curl_easy_perform(handle) }
        var responseCode = 0
        _ = stedenband_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        var message = String(cString: errorBuffer)
        if message.isEmpty { message = String(cString: curl_easy_strerror(result)) }
        return Outcome(result: result, responseCode: responseCode, message: message)
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(DeliveryError) {
        try check(stedenband_curl_setopt_pointer(handle, option, pointer), option: option)
    }

    private func check(_ code: CURLcode, option: CURLoption) throws(DeliveryError) {
        try check(code, option: "\(option.rawValue)")
    }

    private func check(_ code: CURLcode, option: String) throws(DeliveryError) {
        guard code == CURLE_OK else {
            let reason = String(cString: curl_easy_strerror(code))
            throw DeliveryError(isTransient: false, description: "libcurl refused option \(option): \(reason)")
        }
    }
}

/// What ``CurlTransfer/connectOnly(to:)`` checks addresses against, and what it found; used only on the
/// transfer's thread.
private final class AddressGuard {
    let policy: WebhookAddressPolicy
    var refused = 0
    var opened = 0

    init(policy: WebhookAddressPolicy) {
        self.policy = policy
    }
}

/// A response body as libcurl hands it over, refused past a limit.
private final class DownloadSink {
    let limit: Int
    private(set) var bytes: [UInt8] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Appends a piece; answers a count other than `count` (which fails the transfer) past the limit.
    func append(_ data: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        guard bytes.count + count <= limit else { return 0 }
        data.withMemoryRebound(to: UInt8.self, capacity: count) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
        return count
    }
}

/// The bytes of an upload, handed to libcurl piece by piece as it asks.
private final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes into libcurl's buffer; 0 at the end.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
