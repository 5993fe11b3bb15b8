"""A form sent again: who gets the receipt and its code back.

When the first answer to a public form never reached the citizen (a worker killed right after
the commit, a dropped connection, a double click), the browser sends the same form again with
the same hidden submission key, and the case it created is found under that key's digest
(portal.cases.codes). The receipt *with its access code* is shown again only when the copy
qualifies as the same sending:

- it was posted to the same form (the same service's request form, or the complaint form of
  the same agency), and
- by the same browser: the same CSRF cookie and the same session cookie it sent the first
  time (a retry carries exactly the cookies of the request whose answer was lost), and
- within PORTAL_REPLAY_MINUTES of the case's receipt.

Each case stores only a keyed digest of that binding (form, CSRF secret, session key), so
neither the submission key nor the binding can be read back from the database. A copy that
fails the form's checks is looked up by its key all the same (portal.cases.intake: the accepted
form took the files kept for it, so its copy no longer has them). Any other copy (another
agency's form, another browser, a key read from a page left in the browser's history hours
later) is told the form was already received and to look for the receipt in the email or SMS,
and is shown no code and granted nothing.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.conf import settings
from django.utils.crypto import salted_hmac

from portal.cases.codes import code_of, key_digest

_SALT = "portal.cases.replay-binding"


def browser_binding(request, form: str) -> str:
    """The digest that ties a submission to this browser and this form ("" when the browser
    sent no CSRF cookie: such a copy never qualifies)."""
    secret = request.META.get("CSRF_COOKIE") or ""
    if not secret:
        return ""
    session = getattr(request, "session", None)
    session_key = (session.session_key if session is not None else None) or ""
    message = f"{form}\x00{secret}\x00{session_key}"
    return salted_hmac(_SALT, message, algorithm="sha256").hexdigest()


def window() -> timedelta:
    return timedelta(minutes=settings.PORTAL_REPLAY_MINUTES)


def qualifies(case, *, binding: str, now) -> bool:
    """Whether a copy sent with `binding` at `now` may see `case`'s receipt and code again."""
    stored = getattr(case, "submission_binding", "") or ""
    if not binding or not stored or not hmac.compare_digest(stored, binding):
        return False
    return case.received_at <= now <= case.received_at + window()


def code_for_copy(case, *, binding: str, now) -> str | None:
    """The code to show a copy of the form that created `case`, or None (already received)."""
    return code_of(case) if qualifies(case, binding=binding, now=now) else None


def received(model, submission_key, *, binding: str, now):
    """(case, code or None) when a case of `model` was already stored with this submission key;
    None when the key made no case (the code as for `code_for_copy`)."""
    case = model.objects.filter(submission_digest=key_digest(submission_key)).first()
    if case is None:
        return None
    return case, code_for_copy(case, binding=binding, now=now)
