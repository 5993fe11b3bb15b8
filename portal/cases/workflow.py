"""Which status may follow which, for one kind of case (pure: no ORM, no clock).

A kind's workflow module (services.requests.workflow, complaints.workflow) declares its
statuses and its transitions as a `Workflow`; the sets every part of the portal reads ("open",
"closed", "paused") follow from them here and nowhere else. A status with no following status
is closed; a paused status stops the case's clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import TextChoices


@dataclass(frozen=True)
class Workflow:
    statuses: type[TextChoices]
    transitions: Mapping[str, tuple[str, ...]]
    paused: tuple[str, ...] = ()  # the clock stops while the case is in one of these
    resumes_to: str | None = None  # where a paused case goes when its clock restarts

    @property
    def closed(self) -> tuple[str, ...]:
        return tuple(s for s, following in self.transitions.items() if not following)

    @property
    def open(self) -> tuple[str, ...]:
        return tuple(s for s in self.transitions if s not in self.closed)

    @property
    def running(self) -> tuple[str, ...]:
        """Open with the clock ticking."""
        return tuple(s for s in self.open if s not in self.paused)

    def allowed(self, from_status: str, to_status: str) -> bool:
        return to_status in self.transitions.get(from_status, ())

    def pauses(self, from_status: str, to_status: str) -> bool:
        return to_status in self.paused and from_status not in self.paused

    def resumes(self, from_status: str, to_status: str) -> bool:
        return from_status in self.paused and to_status == self.resumes_to

    def label(self, status: str) -> str:
        """The status as staff read it (an unknown one as it was given)."""
        try:
            return str(self.statuses(status).label)
        except ValueError:
            return status
