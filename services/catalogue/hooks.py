"""What the catalogue announces to the concepts and apps above it, which it never imports.

`calendar_changed` is sent when an agency's working calendar (its closures or office hours)
was changed by its staff on the agency's admin page: every open case of the agency has its due
moment counted on the old calendar. Each kind of case answers for its own cases: the requests
(connected in services/apps.py) and the complaints (complaints/apps.py) recompute their due
moments. The catalogue must call up here because the calendar is the catalogue's and the cases
are above it; a receiver is called with `agency`, `actor`, `now` and `reason` (the text of the
cases' history entry) and returns the message to show the staff member, or None when none of
its cases moved (`recompute_on_calendar_change` connects such a receiver from a recompute
action). The receivers run in the admin's transaction: a failure undoes the change.
"""

from django.dispatch import Signal

calendar_changed = Signal()


def recompute_on_calendar_change(recompute, *, message: str, uid: str) -> None:
    """Answer `calendar_changed` with `recompute(agency=, actor=, now=, reason=)`, which returns
    how many cases it moved; the message says it (`message` with `{n}`)."""

    def receiver(sender, *, agency, actor, now, reason, **kwargs):
        moved = recompute(agency=agency, actor=actor, now=now, reason=reason)
        return message.format(n=moved) if moved else None

    calendar_changed.connect(receiver, weak=False, dispatch_uid=uid)


def announce_calendar_change(*, agency, actor, now, reason: str) -> list[str]:
    """Have every kind of case recompute the due moments of the agency's open cases; the
    messages of those whose cases moved."""
    answers = calendar_changed.send(
        sender=type(agency), agency=agency, actor=actor, now=now, reason=reason
    )
    return [message for _receiver, message in answers if message]
