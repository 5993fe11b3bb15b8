from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.cases.forms import UploadField
from portal.cases.staging import KeepsFilesMixin
from portal.identity import normalise_phone
from portal.uploads import upload_attrs
from services.models import Agency, ServiceRequest, ServiceStandard

EVIDENCE_FIELDS = ("bukti_1", "bukti_2", "bukti_3")


# Above this many services (a province or national install) the form lists services only once
# an agency is chosen: every service of every agency would make a page of hundreds of KB.
SERVICE_LIST_LIMIT = 300


def _standard_choices(agency_id: int | None, listed: bool = True) -> list:
    services = (
        ServiceStandard.objects.select_related("agency")
        .only("pk", "name", "agency__short_name")
        .order_by("agency__name", "number")
    )
    empty = [("", _("— tidak terkait layanan tertentu —"))]
    if not listed:
        return empty
    if agency_id is not None:
        return empty + [(s.pk, s.name) for s in services.filter(agency_id=agency_id)]
    groups: dict[str, list] = {}
    for s in services:
        groups.setdefault(s.agency.short_name, []).append((s.pk, s.name))
    return empty + list(groups.items())


class AgencyField(forms.ModelChoiceField):
    """The agency chosen; the one the page was opened for (`at_hand`, already read by the view)
    is taken without reading it again."""

    at_hand: Agency | None = None

    def to_python(self, value):
        if self.at_hand is not None and str(value) == str(self.at_hand.pk):
            return self.at_hand
        return super().to_python(value)


class ComplaintForm(KeepsFilesMixin, forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    agency = AgencyField(
        label=_("Instansi yang diadukan"),
        queryset=Agency.objects.order_by("name"),
        empty_label=_("— pilih instansi —"),
        error_messages={"required": _("Pilih instansi yang diadukan.")},
    )
    standard = forms.ModelChoiceField(
        label=_("Layanan (bila ada)"),
        required=False,
        queryset=ServiceStandard.objects.select_related("agency").order_by(
            "agency__name", "number"
        ),
        empty_label=_("— tidak terkait layanan tertentu —"),
    )
    request_number = forms.CharField(
        label=_("Nomor tanda terima permohonan (bila ada)"), required=False, max_length=32
    )
    shortfall = forms.CharField(
        label=_("Apa yang tidak sesuai dengan standar pelayanan?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_(
            "Ceritakan kejadiannya: kapan, di mana, apa yang dijanjikan standar dan "
            "apa yang Anda alami."
        ),
    )
    loss = forms.CharField(
        label=_("Kerugian yang Anda alami"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kerugian materiel atau immateriel, bila ada."),
    )
    remedy = forms.CharField(
        label=_("Penyelesaian yang Anda minta"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    complainant_name = forms.CharField(label=_("Nama"), max_length=150)
    phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Jawaban dikirim ke sini dan tampil di halaman lacak."),
    )
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    bukti_1 = UploadField(label=_("Bukti (opsional)"), required=False)
    bukti_2 = UploadField(label=_("Bukti tambahan"), required=False)
    bukti_3 = UploadField(label=_("Bukti tambahan"), required=False)
    confidential = forms.BooleanField(
        label=_("Rahasiakan identitas saya"),
        required=False,
        help_text=_("Nama dan kontak Anda hanya dapat dilihat oleh pejabat pengelola pengaduan."),
    )
    consent = forms.BooleanField(
        label=_("Saya menyetujui pemrosesan data pribadi saya untuk menangani pengaduan ini."),
        error_messages={"required": _("Persetujuan diperlukan untuk menangani pengaduan.")},
    )

    def __init__(self, *args, staged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].at_hand = self.initial.get("agency")
        for name in EVIDENCE_FIELDS:
            self.fields[name].widget.attrs.update(upload_attrs())
        self.use_staged(staged or {})
        # The list shows the chosen agency's services, or every service under its agency's name
        # (several agencies have services of the same name). Any service is still accepted,
        # and clean() explains when it is not the chosen agency's.
        agency_id = self._chosen_agency_id()
        listed = agency_id is not None or ServiceStandard.objects.count() <= SERVICE_LIST_LIMIT
        field = self.fields["standard"]
        field.choices = lambda: _standard_choices(agency_id, listed)
        if not listed:
            field.help_text = _(
                "Untuk memilih layanannya, buka formulir ini dari halaman instansi atau "
                "layanan yang diadukan. Pengaduan tanpa layanan tetap diterima."
            )

    def _chosen_agency_id(self) -> int | None:
        if self.is_bound:
            value = str(self.data.get(self.add_prefix("agency"), ""))
            return int(value) if value.isdigit() else None
        agency = self.initial.get("agency")
        return agency.pk if agency is not None else None

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        return normalise_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.has_error("phone"):
            self.add_error("phone", _("Isi nomor telepon atau email agar kami dapat menjawab."))
        agency, standard = cleaned.get("agency"), cleaned.get("standard")
        if agency and standard and standard.agency_id != agency.pk:
            self.add_error("standard", _("Layanan ini bukan layanan instansi yang dipilih."))
        number = (cleaned.get("request_number") or "").strip().upper()
        cleaned["service_request"] = None
        if number:
            found = ServiceRequest.objects.filter(number=number, agency=agency).first()
            if found is None:
                self.add_error(
                    "request_number", _("Nomor permohonan tidak ditemukan pada instansi ini.")
                )
            cleaned["service_request"] = found
        self.fill_from_staged(cleaned)
        return cleaned

    def evidence_rows(self) -> list[tuple[object, object]]:
        """Each evidence field with the file held for it from an earlier post (or None)."""
        return [(self[name], self.staged.get(name)) for name in EVIDENCE_FIELDS]

    def details(self) -> dict:
        data = self.cleaned_data
        keys = (
            "standard",
            "service_request",
            "shortfall",
            "loss",
            "remedy",
            "complainant_name",
            "phone",
            "email",
            "address",
            "confidential",
        )
        return {key: data[key] if data.get(key) is not None else "" for key in keys} | {
            "standard": data.get("standard"),
            "service_request": data.get("service_request"),
        }

    def evidence(self) -> list:
        return [self.cleaned_data[n] for n in EVIDENCE_FIELDS if self.cleaned_data.get(n)]


class FeedbackForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("Apakah jawaban ini menuntaskan pengaduan Anda?"),
        choices=[("ya", _("Ya, tuntas")), ("tidak", _("Belum tuntas"))],
        coerce=lambda v: v == "ya",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Tanggapan Anda"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InformationForm(forms.Form):
    """What the complainant adds to an open complaint: text, one file, or both."""

    text = forms.CharField(
        label=_("Keterangan tambahan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    upload = UploadField(
        label=_("Bukti tambahan (opsional)"),
        required=False,
        help_text=_("PDF, JPEG atau PNG."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors
            and not (cleaned.get("text") or "").strip()
            and not cleaned.get("upload")
        ):
            raise ValidationError(_("Tulis keterangan tambahan atau lampirkan bukti."))
        return cleaned
