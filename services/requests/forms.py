"""The request form and the resubmission form of the tracking page."""

from django import forms
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from portal.cases.forms import UploadField
from portal.cases.staging import KeepsFilesMixin
from portal.identity import normalise_phone, validate_nik
from portal.uploads import upload_attrs


class RequestForm(KeepsFilesMixin, forms.Form):
    """The online request form of one service: applicant, one upload per document requirement.

    `staged`: the files held from this form's earlier post (portal.cases.staging), by field.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    applicant_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=24,
        help_text=_("16 angka sesuai KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp"),
        max_length=24,
        help_text=_("Mis. 0812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Tanda terima dan kabar perkembangan dikirim ke sini."),
    )
    organisation = forms.CharField(
        label=_("Nama koperasi/usaha/organisasi"), max_length=200, required=False
    )
    message = forms.CharField(
        label=_("Keterangan tambahan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("Saya menyetujui pemrosesan data pribadi saya untuk permohonan ini."),
        error_messages={"required": _("Persetujuan diperlukan untuk memproses permohonan.")},
    )

    def __init__(self, *args, standard, staged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.requirements = list(standard.requirements.all())
        self.document_fields: list[tuple[str, object]] = []
        for requirement in self.requirements:
            if not requirement.document:
                continue
            name = f"dokumen_{requirement.pk}"
            self.fields[name] = UploadField(
                label=requirement.text,
                required=not requirement.conditional,
                help_text=_("PDF, JPEG atau PNG, paling besar %(mb)s MB.")
                % {"mb": settings.PORTAL_UPLOAD_MAX_BYTES // 1_048_576}
                + (" " + _("Bila berlaku.") if requirement.conditional else ""),
                widget=forms.ClearableFileInput(attrs=upload_attrs()),
                # Named, so that the error summary at the top says which document is missing.
                error_messages={
                    "required": _("Pilih berkas untuk: %(requirement)s")
                    % {"requirement": Truncator(requirement.text).chars(90)}
                },
            )
            self.document_fields.append((name, requirement))
        self.use_staged(staged or {})

    def requirement_rows(self) -> list[tuple[object, object, object]]:
        """Each requirement in the decree's order with its upload field and held file (or None)."""
        fields = {requirement.pk: name for name, requirement in self.document_fields}
        rows = []
        for requirement in self.requirements:
            name = fields.get(requirement.pk)
            rows.append(
                (requirement, self[name] if name else None, self.staged.get(name) if name else None)
            )
        return rows

    def clean_nik(self):
        return validate_nik(self.cleaned_data["nik"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        self.fill_from_staged(cleaned)
        return cleaned

    def applicant(self) -> dict:
        keys = ("applicant_name", "nik", "phone", "email", "organisation", "message")
        return {key: self.cleaned_data.get(key) or "" for key in keys}

    def documents(self) -> dict[int, object]:
        return {
            requirement.pk: self.cleaned_data[name]
            for name, requirement in self.document_fields
            if self.cleaned_data.get(name)
        }


class ResubmitForm(forms.Form):
    documents = UploadField(
        label=_("Dokumen yang diminta"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("PDF, JPEG atau PNG."),
    )
    note = forms.CharField(
        label=_("Pesan untuk petugas"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
