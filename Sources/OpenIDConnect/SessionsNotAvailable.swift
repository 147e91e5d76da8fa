import Gateway
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The stand-in for the sessions until a server has them: the person was verified, but no session can start,
/// so the answer says so (503) and nobody is signed in.
public struct SessionsNotAvailable: OIDCSessionStarter {
    /// The stand-in.
    public init() {}

    public func startSession(
        for person: VerifiedPerson,
        request: Request,
        context: GatewayRequestContext
    ) async throws -> Response {
        context.logger.warning("a verified person could not be signed in: this server has no sessions yet")
        let html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign-in not available</title></head>
            <body><main><h1>Sign-in not available</h1><p>Signing in with a browser is not available on this server yet.</p>
            <p><a href="/sign-in">Back</a></p></main></body></html>
            """
        return Response(
            status: .serviceUnavailable,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
