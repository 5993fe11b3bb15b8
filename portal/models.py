"""The portal's own tables: the mail outbox and the files held for an unsent form."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.cases.records import StoredFile
from portal.uploads import private_storage


class OutboundEmail(models.Model):
    """One email to send, written in the same transaction as the change it reports.

    The message is composed when it is sent, by the composer registered under `composer`
    with `params` (e.g. a case id and the event), so no secret or personal text is stored
    here. A failed attempt is logged and retried (`manage.py send_queued_mail`).
    """

    composer = models.CharField(_("jenis"), max_length=60)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("dibuat"))
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("email keluar")
        verbose_name_plural = _("email keluar")
        indexes = [models.Index(fields=["sent_at", "attempts"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.composer} {self.params}"


class StagedUpload(StoredFile):
    """A checked file of a public form that failed on another field (portal.cases.staging).

    Held against the form's submission key and the browser session that sent it, until the
    form is accepted (the case gets a copy) or `clear_staged_uploads` removes it.
    """

    submission_key = models.UUIDField()
    owner = models.CharField(max_length=64)  # the session's draft token (never shown)
    field = models.CharField(max_length=40)
    file = models.FileField(storage=private_storage, upload_to="staged", max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("berkas tertunda")
        verbose_name_plural = _("berkas tertunda")
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key", "owner", "field"], name="staged_one_per_field"
            )
        ]
        indexes = [models.Index(fields=["uploaded_at"], name="staged_uploaded_at")]
