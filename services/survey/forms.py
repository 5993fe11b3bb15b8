"""The satisfaction survey form: nine elements answered 1-4, an optional profile, a
suggestion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from services.survey.ikm import ELEMENTS
from services.survey.models import PROFILE_FIELDS, SurveyResponse

PROFILE_LABELS = {
    "gender": _("Jenis kelamin"),
    "age": _("Umur"),
    "education": _("Pendidikan terakhir"),
    "occupation": _("Pekerjaan"),
}


class SurveyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.key] = forms.TypedChoiceField(
                label=element.question,
                choices=[(i + 1, label) for i, label in enumerate(element.labels)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Pilih jawaban untuk unsur %(name)s.") % {"name": element.name}
                },
            )
            self.fields[element.key].element = element
        for key, choices in PROFILE_FIELDS.items():
            self.fields[key] = forms.ChoiceField(
                label=PROFILE_LABELS[key],
                choices=[("", _("— tidak diisi —")), *choices.choices],
                required=False,
            )
        self.fields["suggestion"] = forms.CharField(
            label=_("Saran dan masukan"),
            required=False,
            max_length=SurveyResponse._meta.get_field("suggestion").max_length,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Jangan menulis nama, NIK atau nomor telepon di sini."),
        )

    def element_fields(self):
        return [self[element.key] for element in ELEMENTS]

    def profile_fields(self):
        return [self[key] for key in PROFILE_FIELDS]
