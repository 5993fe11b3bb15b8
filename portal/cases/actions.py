"""The case engine: what every write to a case (a request, a complaint) does the same way.

Each kind declares what differs in a `CaseWrites`: its models, the workflow of its statuses
(portal.cases.workflow), its citizen's mails and the status changes that send one. The kind's
actions module (services.requests.actions, complaints.actions) keeps its own rules (its
deadline, its checks, its fields) and does the common steps here:

- intake (`intake`): validate the new case, number and store it with its staged files under
  the agency's numbering lock, record the submission and queue the receipt; a copy of a form
  already stored is found and answered as such (portal.cases.replay);
- the staff's step: lock the case (`locked`), collect every reason it cannot be applied
  (`Problems`), assign (`assign`), check and apply a status change (`move`: the transition,
  closing, the history line, the mail), or write a note (`note`);
- new due moments after a calendar change (`recompute_due`).

Transactions: an action a view, an admin page or a command calls is one durable
transaction (`@action`: `transaction.atomic(durable=True)`): it commits when it returns, so its
mails go and nothing it wrote can be rolled back by a caller; calling it inside another
transaction raises RuntimeError. Nothing wraps it in another `atomic()`. A write that belongs to
its caller's transaction (a decree part loaded with the decree, the due moments moved with the
calendar change the agency's admin form saves) is an `@inner_action` (no savepoint of its own).
Helpers here open no transaction: they run in the action's.

Every save of a case here recounts its day buckets (portal.cases.daycounts) in the same
transaction, after the case's row lock: the counts are an effect of the write, not a step an
action can forget.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.admin_scoping import may_work_for
from portal.cases import mail
from portal.cases.assignment import cases_assign
from portal.cases.codes import new_access_code
from portal.cases.numbering import store_numbered
from portal.cases.records import record_assignment, record_event
from portal.cases.replay import code_for_copy
from portal.cases.workflow import Workflow
from portal.uploads import check_upload, discard_stored, random_name

KEEP: Any = object()  # assignee=KEEP: leave the assignee as it is

_DURABLE: list[Callable] = []
_INNER: list[Callable] = []


def action(func: Callable) -> Callable:
    """The outermost write of one call from outside (a view, an admin page, a command): one
    durable transaction, committed when it returns; it refuses to run inside another."""
    wrapped = transaction.atomic(durable=True)(func)
    _DURABLE.append(wrapped)
    return wrapped


def inner_action(func: Callable) -> Callable:
    """A write that is part of its caller's transaction when there is one (no savepoint), and
    its own transaction when called alone."""
    wrapped = transaction.atomic(savepoint=False)(func)
    _INNER.append(wrapped)
    return wrapped


def durable_actions() -> list[Callable]:
    return list(_DURABLE)


def inner_actions() -> list[Callable]:
    return list(_INNER)


@dataclass(frozen=True)
class CaseWrites:
    """What one kind of case declares to the engine."""

    model: type  # the case
    event_model: type  # its history (portal.cases.records.CaseEvent)
    file_model: type  # its files (portal.cases.records.StoredFile)
    case_field: str  # the name of the case's foreign key on its events and files
    workflow: Workflow
    mail: str  # the composer of the citizen's mails (portal.cases.mail)
    # The status changes that tell the citizen, by status: the mail's event name.
    notified: Mapping[str, str] = field(default_factory=dict)
    # What a new due moment after a calendar change saves beside it, and its history line.
    due_fields: tuple[str, ...] = ("due_rule",)
    due_event: Mapping[str, Any] = field(default_factory=lambda: {"kind": "deadline"})
    number_kind: str = ""  # the receipt number's kind (portal.cases.numbering)
    folder: str = ""  # the files' folder below the agency's

    def event(self, case, **fields):
        """Validate and store one line of the case's history."""
        return record_event(self.event_model, **{self.case_field: case}, **fields)

    def notify(self, case, event: str, *, now) -> None:
        """Queue the citizen's mail about `event` (only to a case with an address)."""
        if case.email:
            mail.queue(
                composer=self.mail, params={"id": case.pk, "event": event}, now=now, case=case
            )

    def stage_file(self, agency_slug: str, upload, *, now, **fields):
        """Check an upload and write it to private storage; the row is not saved yet."""
        checked = check_upload(upload)
        row = self.file_model(
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_at=now,
            **fields,
        )
        folder = f"{agency_slug}/{self.folder}" if self.folder else agency_slug
        row.file.save(random_name(folder, checked.extension), upload, save=False)
        return row

    def attach(self, case, uploads, *, now) -> list:
        """Store uploads as files of a stored case (the files are deleted again if one fails)."""
        rows: list = []
        with discarded_on_failure(rows):
            for upload in uploads:
                rows.append(self.stage_file(case.agency.slug, upload, now=now))
            for row in rows:
                setattr(row, self.case_field, case)
                row.full_clean(exclude=[self.case_field])  # the case was just locked
                row.save()
        return rows

    def locked(self, case, *related: str):
        """The case read again under its row lock, with `related` rows."""
        cases = self.model.objects.select_for_update(of=("self",))
        return (cases.select_related(*related) if related else cases).get(pk=case.pk)

    def assign(self, case, assignee, *, actor, now) -> None:
        """Give the case to `assignee` (saved with the case) with its internal history line."""
        record_assignment(
            self.event_model,
            case=case,
            assignee=assignee,
            actor=actor,
            now=now,
            **{self.case_field: case},
        )

    def assign_many(self, queryset, *, assignee, actor, now) -> int:
        """Give the open cases of `queryset` to one staff member of their agency, all or
        nothing, one internal history line each; returns how many changed hands."""
        return cases_assign(
            queryset=queryset,
            event_model=self.event_model,
            case_field=self.case_field,
            open_statuses=self.workflow.open,
            assignee=assignee,
            actor=actor,
            now=now,
        )

    def note(self, case, note: str, *, actor, now, public: bool):
        return self.event(case, kind="note", at=now, actor=actor, note=note, public=public)

    def move(self, case, to_status: str, *, actor, now, kind="status", data=None, **fields):
        """Change the case's status (not saved): closed statuses close it; the history line
        (`kind`, the note and `fields`) and, for the statuses that tell the citizen, the mail.
        The caller has checked the transition (`Workflow.allowed`)."""
        moved = {"from_status": case.status, "to_status": to_status}
        case.status = to_status
        if to_status in self.workflow.closed:
            case.closed_at = now
        event = self.event(case, kind=kind, at=now, actor=actor, data=data, **moved, **fields)
        if to_status in self.notified:
            self.notify(case, self.notified[to_status], now=now)
        return event

    def intake(
        self, *, agency, tz, submission_key, binding: str, received_at, now, fields, **steps
    ):
        """Register a new case of `agency` received at `received_at`; returns it with its
        access code (portal.cases.codes).

        The case is made of `fields` and validated (but for `steps["exclude"]`), its files are
        staged (`steps["stage"]()`: unsaved rows whose files are written), and only then are the
        case and its files numbered and stored under the agency's numbering lock (the files are
        deleted again if anything fails); the submission is recorded (`steps["submitted"]`: the
        history line's fields), the receipt queued and `steps["then"](case)` called when given.
        A copy of a form already stored (the same `submission_key`) returns the case stored
        first, with its code only when the copy qualifies (portal.cases.replay). The year of
        the number is the year of receipt in the agency's zone `tz`.
        """
        code, access_hash, digest = new_access_code(submission_key or uuid.uuid4())
        case = self.model(
            agency=agency,
            year=received_at.astimezone(tz).year,
            access_hash=access_hash,
            submission_digest=digest,
            submission_binding=binding,
            received_at=received_at,
            **fields,
        )
        # The related rows were just read and the database holds the check constraints a new
        # case meets: neither is looked up again to validate it.
        exclude = ["number", "sequence", "agency", *steps["exclude"]]
        case.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        files = steps["stage"]()
        with discarded_on_failure(files):
            case, stored = store_numbered(
                case, files=files, case_field=self.case_field, kind=self.number_kind
            )
            if not stored:  # the same form sent again
                return answer_copy(case, binding=binding, now=now)
            self.event(case, kind="submitted", at=now, **steps["submitted"])
            self.notify(case, "receipt", now=now)
            if steps.get("then"):
                steps["then"](case)
        return case, code

    def recompute_due(self, cases, update: Callable, *, actor, now, note: str) -> int:
        """Count the due moment of each of `cases` (locked) again after a calendar change.

        `update(case)` sets the case's new due moment and rule and returns the history line's
        data, or None when nothing changed; each changed case is saved (`due_fields`) with its
        history line (`due_event`). Returns how many changed."""
        changed = 0
        for case in cases:
            old_due = case.due_at
            data = update(case)
            if data is None:
                continue
            case.save(update_fields=["due_at", *self.due_fields, "updated_at"])
            moved = {
                "old_due": old_due.isoformat() if old_due else None,
                "new_due": case.due_at.isoformat() if case.due_at else None,
            }
            event = {"at": now, "actor": actor, "note": note, **self.due_event}
            self.event(case, data={**moved, **data}, **event)
            changed += 1
        return changed


class discarded_on_failure:  # noqa: N801 - used as a statement, like a context manager
    """Delete the stored files of `rows` (a list filled inside) when the block fails."""

    def __init__(self, rows: list):
        self.rows = rows

    def __enter__(self):
        return self.rows

    def __exit__(self, kind, error, traceback):
        if kind is not None:
            discard_stored(self.rows)
        return False


def received_moment(received_at, now):
    """When a case was received: `received_at` (never in the future), or now."""
    received_at = received_at or now
    if received_at > now:
        raise ValidationError({"received_at": _("Waktu diterima tidak boleh di masa depan.")})
    return received_at


def answer_copy(case, *, binding: str, now):
    """What a copy of a form already stored gets: the case, and its code when it qualifies."""
    return case, code_for_copy(case, binding=binding, now=now)


class Problems:
    """Every reason a staff's step cannot be applied, by form field; nothing is written until
    there is none."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(message)

    def check_assignee(self, case, assignee) -> bool:
        """Whether the step changes the assignee; a stranger to the agency is refused."""
        if assignee is KEEP:
            return False
        if assignee is not None and not may_work_for(assignee, case.agency_id):
            self.add("assignee", _("Petugas harus dari instansi yang sama."))
        return assignee != case.assignee

    def check_status(self, workflow: Workflow, from_status, to_status, note, *, choosable=None):
        """A status change must be allowed from where the case stands (and be one staff may
        choose, when only `choosable` ones are), with a note."""
        allowed = workflow.allowed(from_status, to_status)
        if not allowed or (choosable is not None and to_status not in choosable):
            self.add(
                "to_status",
                f"Status tidak dapat diubah dari '{workflow.label(from_status)}' "
                f"ke '{workflow.label(to_status)}'.",
            )
        if not note:
            self.add("note", _("Catatan wajib diisi untuk setiap perubahan status."))

    def raise_any(self, *, changes: bool, nothing: str) -> None:
        """Raise every problem found; a step that changes nothing is refused with `nothing`."""
        if not changes:
            self.add(NON_FIELD_ERRORS, nothing)
        if self.errors:
            raise ValidationError(self.errors)
