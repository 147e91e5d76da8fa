import Foundation
import Hummingbird

/// A field a page's form refused, by its name (the JSON API's field name).
public protocol PageFieldError: Sendable {
    /// The field's name.
    var field: String { get }
}

extension Problem.FieldError: PageFieldError {}

extension PageForm {
    /// What became of a posted form: saved (the answer is the redirect), or refused with its fields' errors.
    public enum Outcome<FieldError: PageFieldError> {
        case saved(Response)
        case refused([FieldError])
    }

    /// The steps every form of the pages takes once it has read what was typed into the service's body:
    ///
    /// 1. fields that could not be read (a date that is no date, an amount that is no number) refuse the form,
    ///    with the body's own checks of the other fields, so the person sees every mistake at once;
    /// 2. otherwise `save` calls the service (which checks the body as the JSON API does) and answers where to
    ///    go (303);
    /// 3. the service's 422 refuses the form with its field errors; any other problem (404, 403, a stale
    ///    version's 412) goes to the caller.
    ///
    /// - Parameters:
    ///   - unreadable: The fields that could not be read.
    ///   - checks: The body's own checks (`validate()`), run only when something could not be read.
    ///   - refusal: The service's field errors as the page's.
    ///   - save: Calls the service; answers the redirect.
    public static func submit<FieldError: PageFieldError>(
        unreadable: [FieldError], checks: () -> [FieldError], refusal: ([Problem.FieldError]) -> [FieldError],
        save: () async throws -> Response
    ) async throws -> Outcome<FieldError> {
        guard unreadable.isEmpty else {
            let checked = checks().filter { error in !unreadable.contains { $0.field == error.field } }
            return .refused(unreadable + checked)
        }
        do {
            return .saved(try await save())
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return .refused(refusal(problem.errors ?? []))
        }
    }

    /// ``submit(unreadable:checks:refusal:save:)`` for a form whose errors are the service's own.
    public static func submit(
        unreadable: [Problem.FieldError], checks: () -> [Problem.FieldError], save: () async throws -> Response
    ) async throws -> Outcome<Problem.FieldError> {
        try await submit(unreadable: unreadable, checks: checks, refusal: { $0 }, save: save)
    }

    /// The text of a page's posted form (the session middleware read the body already, to check its `csrf`).
    public static func text(of request: Request) async throws -> String {
        try await readWithText(request).text
    }
}
