"""Writes of the satisfaction survey: a citizen's online answer and a batch of paper ones.

One response per case: the case row is locked, its `survey_answered_at` checked and set in the
same transaction as the response is written, so two answers sent at once leave one. The
response keeps no link to the case (see services.models.survey).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.cases import registry
from services.models import SurveyChannel, SurveyResponse
from services.models.survey import PROFILE_FIELDS, SCORE_FIELDS

ALREADY_ANSWERED = "Survei kepuasan untuk layanan ini sudah diisi. Terima kasih."
NOT_OPEN = "Survei kepuasan dapat diisi setelah layanan selesai."


def survey_is_open(case) -> bool:
    """Whether this case's survey may be answered now."""
    return case.survey_answered_at is None and registry.kind_of(case).survey_open(case)


def _response(*, answers: dict, **fields) -> SurveyResponse:
    response = SurveyResponse(
        **{key: answers.get(key) for key in SCORE_FIELDS},
        **{key: answers.get(key) or "" for key in PROFILE_FIELDS},
        suggestion=(answers.get("suggestion") or "").strip(),
        **fields,
    )
    response.full_clean()
    return response


@transaction.atomic
def survey_submit(*, case, answers: dict, now) -> SurveyResponse:
    """Record the citizen's answer to the survey of their completed case, once."""
    kind = registry.kind_of(case)
    case = (
        type(case)
        .objects.select_for_update(of=("self",))
        .select_related("agency", "standard")
        .get(pk=case.pk)
    )
    if case.survey_answered_at is not None:
        raise ValidationError(ALREADY_ANSWERED, code="answered")
    if not kind.survey_open(case):
        raise ValidationError(NOT_OPEN, code="not_open")
    response = _response(
        answers=answers,
        agency=case.agency,
        standard=case.standard,
        answered_on=now.astimezone(ZoneInfo(case.agency.timezone)).date(),
        channel=SurveyChannel.ONLINE,
    )
    response.save()
    type(case).objects.filter(pk=case.pk).update(survey_answered_at=now)
    case.survey_answered_at = now
    return response


@transaction.atomic
def survey_import(*, rows: list[dict]) -> int:
    """Write paper questionnaires already checked by services.skm_csv; all or nothing."""
    responses = [
        _response(
            answers=row,
            agency=row["agency"],
            standard=row["standard"],
            answered_on=row["date"],
            channel=SurveyChannel.PAPER,
        )
        for row in rows
    ]
    SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    return len(responses)
