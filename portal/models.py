"""The portal's own tables: the mail outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
