"""Reads behind the satisfaction index and the public performance figures.

Every figure is computed from the cases and the survey responses, never typed in; each read
here is a fixed number of aggregate queries whatever the volume.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Sum

from services import ikm
from services.models import SurveyResponse
from services.models.survey import SCORE_FIELDS


def survey_responses(*, agency_id=None, standard_id=None, start: date | None, end: date | None):
    """Responses by survey date, both dates inclusive (None: open-ended)."""
    responses = SurveyResponse.objects.all()
    if agency_id is not None:
        responses = responses.filter(agency_id=agency_id)
    if standard_id is not None:
        responses = responses.filter(standard_id=standard_id)
    if start is not None:
        responses = responses.filter(answered_on__gte=start)
    if end is not None:
        responses = responses.filter(answered_on__lte=end)
    return responses


def _aggregates():
    return {"n": Count("pk"), **{key: Sum(key) for key in SCORE_FIELDS}}


def _result(row) -> ikm.IkmResult:
    return ikm.from_sums(row["n"] or 0, [row[key] or 0 for key in SCORE_FIELDS])


def ikm_for(*, agency_id=None, standard_id=None, start=None, end=None) -> ikm.IkmResult:
    """The index of an agency (or one of its services, or the whole portal) over a period."""
    row = survey_responses(
        agency_id=agency_id, standard_id=standard_id, start=start, end=end
    ).aggregate(**_aggregates())
    return _result(row)


def ikm_by(field: str, **filters) -> dict[int | None, ikm.IkmResult]:
    """The index per value of `field` ("standard_id", "agency_id") in one query."""
    rows = survey_responses(**filters).order_by().values(field).annotate(**_aggregates())
    return {row[field]: _result(row) for row in rows}
