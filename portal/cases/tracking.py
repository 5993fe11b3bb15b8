"""The pieces of a case's public tracking page that every kind shows the same way.

The page of an opened case is its kind's (portal.cases.registry); what it lists of the history,
its breadcrumbs and the answer to a form sent from it (the returned request's documents, a
complaint's feedback or added information) follow one rule for every kind.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def citizen_events(case, kinds):
    """The history its citizen sees: the public entries and, note hidden by the template, the
    entries of `kinds` (the steps of the case) even when their note is internal."""
    return case.events.filter(Q(public=True) | Q(kind__in=kinds))


def crumbs(case) -> list[tuple[str | None, str]]:
    return [(reverse("cases:track"), _("Lacak")), (None, case.number)]


def send(request, case, form, action, *, done: str):
    """A valid form of the page sent: `action(now=<this moment>)` records it. Its refusal
    (ValidationError) is the form's error and None is returned (the page is shown again with
    it); otherwise the page is opened again (a GET: a reload sends nothing twice) with the
    message `done`."""
    try:
        action(now=timezone.now())
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, done)
    return redirect("cases:track_detail", number=case.number)
