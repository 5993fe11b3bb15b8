"""What happens next, in one sentence per status: the table lookup both kinds of case share.

A table maps a status to (sentence with "%(due)s", sentence without); the sentences are marked
with gettext_noop where they are written and translated here, when they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _


def next_step(table: Mapping[str, tuple[str, str]], status: str, *, due: str = "") -> str:
    """The sentence for `status`, in the active language, with `due` filled in when known."""
    with_due, without_due = table[status]
    if due and "%(due)s" in with_due:
        return _(with_due) % {"due": due}
    return _(without_due)
