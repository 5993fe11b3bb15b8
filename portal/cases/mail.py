"""A mail outbox that never turns a stored submission into an error.

An action queues an email inside its own transaction (`queue`); once that transaction has
committed the email is sent. A mail server that refuses, a template that fails or a worker
killed right after the commit leaves the row unsent: the failure is logged (without the
address) and `manage.py send_queued_mail` retries it, up to MAX_ATTEMPTS times. The citizen's
page never depends on the mail. Messages are composed at sending time by the composer an app
registered under the row's name, from the ids in its params; the email sent right after the
commit is composed from the case the action has just written (`queue(case=…)`), not read again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.models import OutboundEmail

logger = logging.getLogger("portal.mail")
MAX_ATTEMPTS = 8

# composer(params) or, from `queue(case=…)`, composer(params, case=the case just written)
Composer = Callable[..., EmailMessage | None]
_COMPOSERS: dict[str, Composer] = {}


def register_composer(name: str, composer: Composer) -> None:
    """`composer(params)` returns the message to send, or None when there is nothing to send."""
    _COMPOSERS[name] = composer


def queue(*, composer: str, params: dict, now, case: Any = None) -> OutboundEmail:
    """Queue an email in the current transaction; it is sent after the commit.

    `case`: the case (as this transaction wrote it) the composer would read by `params["id"]`,
    handed to it for the send after the commit; a retry reads it from the database."""
    row = OutboundEmail.objects.create(composer=composer, params=params, created_at=now)
    transaction.on_commit(lambda: _attempt(row, case))  # the row just written: not read again
    return row


def pending() -> Iterable[OutboundEmail]:
    return OutboundEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


def send_queued(*, ids: list[int] | None = None, limit: int = 500) -> tuple[int, int]:
    """Send unsent emails (these ids, or the oldest pending); returns (sent, failed)."""
    rows = pending()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    results = [_attempt(row) for row in list(rows[:limit])]
    return results.count(True), results.count(False)


def _attempt(row: OutboundEmail, case: Any = None) -> bool:
    """Send one email; a failure is counted on its row and logged, never raised."""
    try:
        _send(row, case)
    except Exception as error:  # noqa: BLE001 - any failure is retried, never raised
        OutboundEmail.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:255]
        )
        logger.warning(
            "email %s (%s) not sent, attempt %s: %s",
            row.pk,
            row.composer,
            row.attempts + 1,
            type(error).__name__,
        )
        return False
    return True


def _send(row: OutboundEmail, case: Any = None) -> None:
    composer = _COMPOSERS.get(row.composer)
    if composer is None:
        raise LookupError(f"no composer {row.composer!r}")
    message = composer(row.params) if case is None else composer(row.params, case=case)
    if message is not None:
        message.send()
    # Marked sent only after the server accepted it; a crash in between sends it twice
    # rather than never.
    OutboundEmail.objects.filter(pk=row.pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
