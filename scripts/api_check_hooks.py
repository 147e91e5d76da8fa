"""Schemathesis hooks for scripts/api-check: rules between fields and over time, which JSON Schema cannot
state and the document states in words. A client keeps them; so do these hooks, for requests whose fields
are each of the right form (a negative test, with a field of the wrong form, goes out as it was made).

- An Idempotency-Key names one request: the same key again with another method, path or body is refused
  (422, docs/api.md). A client makes a new key for each new request.
- An end date is not before its start date (activities' startsOn/endsOn, partnerships' startedOn/endedOn,
  periods' start/end), the one stored included: a change of one date sets the other too.
- A new token's expiresAt is in the future, and a token has expiresAt or expiresIn, not both.
"""

import datetime
import re
import uuid

import schemathesis

KEY_FORM = re.compile(r"[!-~]{1,255}")
DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_PAIRS = (("startsOn", "endsOn"), ("startedOn", "endedOn"), ("start", "end"))


@schemathesis.hook
def before_call(context, case, **kwargs):
    # A negative case goes out as made: changing it would make schemathesis take it for a positive one.
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key":
            key = case.headers[name]
            if isinstance(key, str) and KEY_FORM.fullmatch(key):
                case.headers[name] = f"{key[:200]}-{uuid.uuid4()}"
    body = case.body
    if not isinstance(body, dict):
        return
    for start, end in DATE_PAIRS:
        first, last = body.get(start), body.get(end)
        if isinstance(first, str) and isinstance(last, str) and DATE_FORM.fullmatch(first) \
                and DATE_FORM.fullmatch(last) and last < first:
            body[start], body[end] = last, first
        # A change of one date is checked against the other as stored, which the client knows and
        # schemathesis does not: the change sets both.
        if case.method.upper() == "PATCH":
            for given, other in ((start, end), (end, start)):
                value = body.get(given)
                if isinstance(value, str) and DATE_FORM.fullmatch(value) and other not in body:
                    body[other] = value
    if case.operation.label == "POST /api/v1/users/{id}/tokens" and isinstance(body.get("expiresAt"), str):
        try:
            datetime.datetime.fromisoformat(body["expiresAt"].replace("Z", "+00:00"))
        except ValueError:
            return
        if isinstance(body.get("expiresIn"), (int, float)) and not isinstance(body["expiresIn"], bool):
            del body["expiresAt"]
        else:
            later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)
            body["expiresAt"] = later.strftime("%Y-%m-%dT%H:%M:%SZ")
