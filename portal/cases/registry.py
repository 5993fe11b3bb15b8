"""The kinds of case the portal handles, registered by the apps that define them.

The tracking pages (/lacak/), the receipt PDF and the satisfaction survey's link serve every
kind of case from one number and code. Each app registers its kind in its AppConfig.ready
(services/apps.py: the requests; complaints/apps.py: the complaints) with the model (which has
`number`, `access_hash`, `submission_digest`, `agency` and `standard`), the view of its tracking
page, the template and context of its receipt PDF and whether its survey is open. The portal
must call up here: the tracking pages are the portal's, shared by the kinds, and the kinds are
the apps above it; lookups go through the registry, so this package never imports an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CaseKind:
    name: str  # "request", "complaint"
    model: type
    track_view: Callable[[Any, Any], Any]  # (http request, case) -> response
    receipt_template: str  # PDF template of the receipt
    receipt_context: Callable[[Any], dict] = lambda case: {}
    # Whether the case's satisfaction survey may be answered now (completed, closed).
    survey_open: Callable[[Any], bool] = lambda case: False


_KINDS: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> None:
    _KINDS[kind.name] = kind


def kinds() -> list[CaseKind]:
    return list(_KINDS.values())


def kind_of(case) -> CaseKind:
    """The registered kind of a case instance."""
    for kind in _KINDS.values():
        if isinstance(case, kind.model):
            return kind
    raise LookupError(f"no case kind for {type(case).__name__}")


def find(number: str) -> tuple[CaseKind, Any] | None:
    """The case with this receipt number, whatever its kind, with the kind."""
    for kind in _KINDS.values():
        case = kind.model.objects.select_related("agency", "standard").filter(number=number)
        found = case.first()
        if found is not None:
            return kind, found
    return None
