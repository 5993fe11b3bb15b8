"""What requests and complaints both keep: uploaded files and an immutable history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A file checked by content (portal.uploads.check_upload) and kept in private storage.

    Subclasses add the `file` field (with their folder) and the case it belongs to.
    """

    original_name = models.CharField(_("nama berkas"), max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("diunggah pada"))

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class CaseEvent(models.Model):
    """One immutable line of a case's history. Subclasses add the case, `kind`, the statuses
    and `public` with their own choices and wording."""

    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    note = models.TextField(_("catatan"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.at:%Y-%m-%d %H:%M}"


def record_event(model, *, data=None, **fields):
    """Validate and store one history line of `model` (a CaseEvent).

    Relations given as rows (the case, the actor) were just read or saved: they are not looked
    up again to validate them (the database's foreign keys hold anyway)."""
    event = model(data=data or {}, **fields)
    event.full_clean(exclude=[name for name, value in fields.items() if hasattr(value, "_meta")])
    event.save()
    return event


def record_assignment(model, *, case, assignee, actor, now, **case_field):
    """Give `case` to `assignee` (not saved) and write the internal history line of `model`."""
    previous = case.assignee
    case.assignee = assignee
    return record_event(
        model,
        kind="assigned",
        at=now,
        actor=actor,
        public=False,
        note=f"Ditugaskan kepada {assignee or '-'}",
        data={"from": previous.pk if previous else None, "to": assignee.pk if assignee else None},
        **case_field,
    )
