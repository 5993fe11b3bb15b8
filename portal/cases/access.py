"""Which cases this browser has opened, and the codes it was shown at submission.

Opening a case with its number and access code (or submitting it) grants the session access to
that case's tracking page and files; the code itself is kept in the session only for the
receipt page and the receipt PDF of the browser that submitted it.
"""

from __future__ import annotations

SESSION_CODES = "request_codes"  # number -> access code, for the receipt of the submitter
SESSION_ACCESS = "tracked_requests"  # numbers of the cases this session has opened


def grant(request, number: str, code: str | None = None) -> None:
    access = set(request.session.get(SESSION_ACCESS, []))
    access.add(number)
    request.session[SESSION_ACCESS] = sorted(access)
    if code:
        codes = dict(request.session.get(SESSION_CODES, {}))
        codes[number] = code
        request.session[SESSION_CODES] = codes


def granted(request, number: str) -> bool:
    return number in request.session.get(SESSION_ACCESS, [])


def remembered_code(request, number: str) -> str | None:
    """The code shown to this browser when it submitted the case, if it did."""
    if not granted(request, number):
        return None
    return request.session.get(SESSION_CODES, {}).get(number)
