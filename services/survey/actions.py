"""Writes of the satisfaction survey: a citizen's online answer and a file of paper ones.

One response per case: the case row is locked, its `survey_answered_at` checked and set in the
same transaction as the response is written, so two answers sent at once leave one. The
response keeps no link to the case (see services.survey.models).

A file of paper questionnaires is imported once: while an import of the same bytes (its SHA-256
digest) stands, the file is refused, naming that import. A row identical to an answer already
stored (same agency, service, date, nine scores, profile and suggestion) is refused with its line
number unless the operator allows it and says why. Imports of the same agencies take turns (their
agency rows are locked), so two files sent at once cannot both miss each other. Rolling an import
back deletes exactly its responses and keeps the import, marked with who, when and why.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cases import registry
from services.catalogue.models.agencies import Agency
from services.survey.models import (
    PROFILE_FIELDS,
    SCORE_FIELDS,
    SurveyChannel,
    SurveyImport,
    SurveyImportAgency,
    SurveyResponse,
)

# What makes two answers the same answer (the channel and the import do not).
SAME_ANSWER = (
    "agency_id",
    "standard_id",
    "answered_on",
    *SCORE_FIELDS,
    *PROFILE_FIELDS,
    "suggestion",
)

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


def _paper(row: dict) -> SurveyResponse:
    return _response(
        answers=row,
        agency=row["agency"],
        standard=row["standard"],
        answered_on=row["date"],
        channel=SurveyChannel.PAPER,
    )


@transaction.atomic
def survey_import(*, rows: list[dict]) -> int:
    """Write paper questionnaires already checked by services.survey.skm_csv, with no file behind
    them (see survey_import_file for a file); all or nothing."""
    responses = [_paper(row) for row in rows]
    SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    return len(responses)


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def standing_import_of(digest: str) -> SurveyImport | None:
    """The import of these bytes that stands (not rolled back), if any."""
    return SurveyImport.objects.filter(digest=digest, rolled_back_at__isnull=True).first()


def already_imported(earlier: SurveyImport) -> ValidationError:
    return ValidationError(
        _(
            "Berkas ini sudah diimpor pada %(when)s oleh %(operator)s sebagai impor #%(id)s "
            "(%(file)s, %(count)s kuesioner); tidak ada yang diimpor. Bila memang harus diimpor "
            "lagi, batalkan impor #%(id)s lebih dahulu."
        ),
        code="already_imported",
        params={
            "when": _when(earlier.imported_at),
            "operator": earlier.operator,
            "id": earlier.pk,
            "file": earlier.file_name,
            "count": earlier.row_count,
        },
    )


def _where(import_id: int | None, channel: str) -> str:
    if import_id is not None:
        return _("impor #%(id)s") % {"id": import_id}
    if channel == SurveyChannel.ONLINE:
        return _("jawaban daring")
    return _("kuesioner kertas yang dimasukkan di admin")


def _stored_twins(responses: list[SurveyResponse], lines: list[int]) -> list[tuple[int, str]]:
    """(line, where the stored twin came from) for every response already stored as such."""
    stored = SurveyResponse.objects.filter(
        agency_id__in={r.agency_id for r in responses},
        answered_on__in={r.answered_on for r in responses},
    ).values_list(*SAME_ANSWER, "survey_import_id", "channel")
    origin: dict[tuple, str] = {}
    for values in stored.order_by("pk").iterator(chunk_size=2000):
        origin.setdefault(tuple(values[: len(SAME_ANSWER)]), _where(values[-2], values[-1]))
    twins = []
    for line, response in zip(lines, responses, strict=True):
        key = tuple(getattr(response, field) for field in SAME_ANSWER)
        if key in origin:
            twins.append((line, origin[key]))
    return twins


def survey_import_file(
    *,
    rows: list[dict],
    file_name: str,
    digest: str,
    operator: str,
    now: datetime,
    allow_duplicates: bool = False,
    reason: str = "",
) -> SurveyImport:
    """Import a file of paper questionnaires checked by services.survey.skm_csv, as one
    SurveyImport.

    Raises ValidationError (nothing written) when the file stands imported already, or when rows
    repeat answers already stored and duplicates are not allowed with a reason.
    """
    reason = reason.strip()
    if allow_duplicates and not reason:
        raise ValidationError(
            _("Jawaban kembar hanya diizinkan dengan alasan (--reason)."), code="reason"
        )
    with transaction.atomic(durable=True):
        agency_ids = sorted({row["agency"].pk for row in rows})
        list(
            Agency.objects.select_for_update()
            .filter(pk__in=agency_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        earlier = standing_import_of(digest)
        if earlier is not None:
            raise already_imported(earlier)
        responses = [_paper(row) for row in rows]
        twins = _stored_twins(responses, [row["line"] for row in rows])
        if twins and not allow_duplicates:
            raise ValidationError(
                [
                    ValidationError(
                        _(
                            "baris %(line)s: sama persis dengan jawaban yang sudah tersimpan "
                            "(%(where)s)"
                        ),
                        code="duplicate",
                        params={"line": line, "where": where},
                    )
                    for line, where in twins
                ]
            )
        batch = SurveyImport(
            file_name=file_name,
            digest=digest,
            operator=operator,
            imported_at=now,
            row_count=len(responses),
            allow_duplicates=allow_duplicates,
            duplicate_count=len(twins),
            reason=reason,
        )
        batch.full_clean()
        batch.save()
        for response in responses:
            response.survey_import = batch
        SurveyResponse.objects.bulk_create(responses, batch_size=1000)
        shares = Counter(response.agency_id for response in responses)
        SurveyImportAgency.objects.bulk_create(
            SurveyImportAgency(survey_import=batch, agency_id=agency_id, row_count=count)
            for agency_id, count in sorted(shares.items())
        )
    return batch


def survey_import_rollback(
    *, survey_import: SurveyImport, by: str, reason: str, now: datetime
) -> int:
    """Delete every response of the import and mark it rolled back; the number deleted.

    The import's row stays, so the record shows what was imported and why it was undone; its
    file may then be imported again.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Sebutkan alasan pembatalan impor."), code="reason")
    with transaction.atomic(durable=True):
        batch = SurveyImport.objects.select_for_update().get(pk=survey_import.pk)
        if batch.rolled_back:
            raise ValidationError(
                _("Impor #%(id)s sudah dibatalkan pada %(when)s oleh %(by)s."),
                code="rolled_back",
                params={
                    "id": batch.pk,
                    "when": _when(batch.rolled_back_at),
                    "by": batch.rolled_back_by,
                },
            )
        deleted, _counts = SurveyResponse.objects.filter(survey_import=batch).delete()
        batch.rolled_back_at = now
        batch.rolled_back_by = by
        batch.rollback_reason = reason
        batch.full_clean()
        batch.save(update_fields=["rolled_back_at", "rolled_back_by", "rollback_reason"])
    survey_import.refresh_from_db()
    return deleted
