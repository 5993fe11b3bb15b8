"""The portal's own tables: the mail outbox, the files held for an unsent form and the
log of staff access to personal data."""

from django.conf import settings
from django.db import models
from django.utils.timezone import localtime
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


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Catatan akses data pribadi tidak dapat diubah.")

    def delete(self):
        raise TypeError("Catatan akses data pribadi tidak dapat dihapus.")


class PersonalDataAccess(models.Model):
    """One look by staff at a case that holds a citizen's personal data: which route showed
    it (`what`: the case page, its workflow page or history, a list or an export, a document)
    and whether the citizen's identity was on the screen or in the file (`identity_shown`:
    a confidential complainant's identity is shown only to complaint officers; anyone else
    opening the case is logged "tanpa identitas").

    Append-only (UU 27/2022): rows are written by `portal.cases.audit` and never
    changed or deleted, in the admin or in code. The only permission on the model is
    `portal.view_personaldataaccess`: superusers have it, and it is given to the agency's head,
    who then sees the rows of their own agency. The case is named by its kind, id and number
    (this app imports no other), and the agency by its id.
    """

    class What(models.TextChoices):
        CASE_PAGE = "case_page", _("membuka halaman kasus")
        WORKFLOW = "workflow", _("membuka halaman proses")
        HISTORY = "history", _("membuka riwayat perubahan")
        LIST = "list", _("melihat daftar")
        EXPORT = "export", _("mengekspor daftar")
        DOCUMENT = "document", _("mengunduh dokumen")

    at = models.DateTimeField(_("waktu"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    case_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jenis kasus"),
    )
    case_id = models.PositiveBigIntegerField(_("id kasus"))
    case_number = models.CharField(_("nomor kasus"), max_length=40, db_index=True)
    agency_id = models.PositiveBigIntegerField(_("instansi"), null=True, db_index=True)
    what = models.CharField(_("akses"), max_length=12, choices=What.choices)
    detail = models.CharField(_("rincian"), max_length=200, blank=True)
    # Rows written before this field existed all claimed the identity: they keep saying so.
    identity_shown = models.BooleanField(_("identitas ditampilkan"), default=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")
        indexes = [models.Index(fields=["case_type", "case_id"], name="pdaccess_case")]

    def __str__(self) -> str:
        return (
            f"{self.case_number} {self.get_what_display()} ({self.shown_label()}) "
            f"{localtime(self.at):%Y-%m-%d %H:%M}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Catatan akses data pribadi tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Catatan akses data pribadi tidak dapat dihapus.")

    def shown_label(self) -> str:
        return _("identitas") if self.identity_shown else _("tanpa identitas")


class PurgedCase(models.Model):
    """A closed case whose personal data were removed after the retention period
    (portal.cases.retention): what was done when, and the marker that it is done."""

    case_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("jenis kasus"),
    )
    case_id = models.PositiveBigIntegerField(_("id kasus"))
    case_number = models.CharField(_("nomor kasus"), max_length=40)
    closed_at = models.DateTimeField(_("ditutup pada"))
    purged_at = models.DateTimeField(_("dianonimkan pada"))

    class Meta:
        ordering = ["-purged_at", "-pk"]
        verbose_name = _("kasus yang dianonimkan")
        verbose_name_plural = _("kasus yang dianonimkan")
        constraints = [
            models.UniqueConstraint(fields=["case_type", "case_id"], name="purged_case_once")
        ]

    def __str__(self) -> str:
        return self.case_number


class EnrolmentInvitation(models.Model):
    """A one-time link that binds a staff account's first authenticator app
    (portal.login.invitations): valid until `expires_at`, used once, stored only as the
    SHA-256 of its token. `device` is the app key made for this invitation (shown only to
    whoever opens the link and then types the account's password)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    device = models.OneToOneField(
        "otp_totp.TOTPDevice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tautan pendaftaran 2FA")
        verbose_name_plural = _("tautan pendaftaran 2FA")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            )
        ]
        indexes = [models.Index(fields=["user", "used_at"], name="invitation_user_unused")]

    def __str__(self) -> str:
        return str(self.user)
