"""The citizen's satisfaction survey, opened from the tracking page of a completed case."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.cases import access, registry
from portal.ratelimit import limit_posts
from services.survey import actions as survey_actions
from services.survey.forms import SurveyForm


def _refusal(code: str) -> str:
    if code == "answered":
        return _("Survei kepuasan untuk layanan ini sudah diisi. Terima kasih.")
    return _("Survei kepuasan dapat diisi setelah layanan selesai.")


@require_http_methods(["GET", "POST"])
@limit_posts("survei")
def survey(request, number):
    """Only for the browser that opened the case with its code (the tracking grant)."""
    if not access.granted(request, number):
        return redirect("cases:track")
    found = registry.find(number)
    if found is None:
        raise Http404
    _kind, case = found
    if not survey_actions.survey_is_open(case):
        messages.info(request, _refusal("answered" if case.survey_answered_at else "not_open"))
        return redirect("cases:track_detail", number=number)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_actions.survey_submit(case=case, answers=form.cleaned_data, now=timezone.now())
        except ValidationError as error:
            messages.info(request, _refusal(error.code))
        else:
            messages.success(request, _("Terima kasih. Jawaban survei Anda sudah kami terima."))
        return redirect("cases:track_detail", number=number)
    return render(
        request,
        "services/survey/form.html",
        {
            "case": case,
            "form": form,
            "crumbs": [
                (reverse("cases:track"), _("Lacak")),
                (reverse("cases:track_detail", kwargs={"number": number}), case.number),
                (None, _("Survei kepuasan")),
            ],
        },
    )
