"""complaints.workflow: the complaint's statuses, its tiers and their default deadlines.
Pure rules, tested as tables."""

from __future__ import annotations

import itertools

import pytest

from complaints import workflow
from complaints.workflow import DEFAULT_TIER_DURATIONS, Tier
from complaints.workflow import ComplaintStatus as S
from portal.worktime import Unit
from services.catalogue.timeframes import parse_timeframe

# Every transition the workflow allows; any other pair is refused (see the test below).
ALLOWED = [
    (S.RECEIVED, S.CLASSIFIED),  # diterima -> diklasifikasi: triage
    (S.RECEIVED, S.REJECTED),  # diterima -> ditolak: e.g. a duplicate
    (S.CLASSIFIED, S.HANDLING),  # diklasifikasi -> ditangani
    (S.CLASSIFIED, S.ANSWERED),  # diklasifikasi -> dijawab: a light complaint answered at once
    (S.CLASSIFIED, S.REJECTED),  # diklasifikasi -> ditolak
    (S.HANDLING, S.ANSWERED),  # ditangani -> dijawab
    (S.HANDLING, S.REJECTED),  # ditangani -> ditolak
    (S.ANSWERED, S.CLOSED),  # dijawab -> selesai: the complainant says it is resolved
    (S.ANSWERED, S.HANDLING),  # dijawab -> ditangani: not resolved, back to handling
]

REFUSED = [
    (S.RECEIVED, S.HANDLING),  # diterima -> ditangani: classify first
    (S.RECEIVED, S.ANSWERED),  # diterima -> dijawab: classify first
    (S.RECEIVED, S.CLOSED),  # diterima -> selesai
    (S.ANSWERED, S.REJECTED),  # dijawab -> ditolak: an answered complaint is not rejected
    (S.ANSWERED, S.ANSWERED),  # dijawab -> dijawab: answered once, until feedback
    (S.HANDLING, S.CLASSIFIED),  # ditangani -> diklasifikasi: a reclassification keeps status
    (S.CLOSED, S.HANDLING),  # selesai -> ditangani: closed stays closed
    (S.REJECTED, S.RECEIVED),  # ditolak -> diterima: closed stays closed
    ("diterima", "dibatalkan"),  # to an unknown status
    ("dibatalkan", "diterima"),  # from an unknown status
]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_allowed(from_status, to_status):
    assert workflow.allowed(from_status, to_status)


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_refused(from_status, to_status):
    assert not workflow.allowed(from_status, to_status)


def test_every_pair_not_allowed_above_is_refused():
    pairs = set(itertools.product(S.values, repeat=2))
    assert {p for p in pairs if workflow.allowed(*p)} == set(ALLOWED)


# (status, open, running, classifiable, closed, staff choose it directly)
SETS = [
    (S.RECEIVED, True, True, True, False, False),  # diterima: triage clock runs
    (S.CLASSIFIED, True, True, True, False, False),  # diklasifikasi: answer clock runs
    (S.HANDLING, True, True, True, False, True),  # ditangani: chosen by staff, clock runs
    (S.ANSWERED, True, False, False, False, False),  # dijawab: waits for the complainant
    (S.CLOSED, False, False, False, True, True),  # selesai: closed
    (S.REJECTED, False, False, False, True, True),  # ditolak: closed, chosen with a reason
]


@pytest.mark.parametrize(("status", "is_open", "running", "classifiable", "closed", "manual"), SETS)
def test_status_sets(status, is_open, running, classifiable, closed, manual):
    assert (
        status in workflow.OPEN,
        status in workflow.RUNNING,
        status in workflow.CLASSIFIABLE,
        status in workflow.CLOSED,
        status in workflow.MANUAL,
    ) == (is_open, running, classifiable, closed, manual)


def test_open_and_closed_split_every_status():
    assert sorted(workflow.OPEN + workflow.CLOSED) == sorted(S.values)


# (tier, default wording, amount, unit) as docs/domain.md's table of tiers states them
TIERS = [
    (Tier.LIGHT, "3 jam", 3, Unit.WORKING_HOUR),  # Pengaduan ringan: 3 working hours
    (Tier.NORMATIVE, "5 hari kerja", 5, Unit.WORKING_DAY),  # normatif: 5 working days
    (Tier.NON_SUPERVISORY, "14 hari kerja", 14, Unit.WORKING_DAY),  # tidak berkadar: 14 days
    (Tier.SUPERVISORY, "60 hari kerja", 60, Unit.WORKING_DAY),  # berkadar pengawasan: 60 days
]


@pytest.mark.parametrize(("tier", "wording", "amount", "unit"), TIERS)
def test_default_tier_durations(tier, wording, amount, unit):
    assert DEFAULT_TIER_DURATIONS[tier] == wording
    stage = parse_timeframe(wording).governing_stage()
    assert (stage.amount, stage.unit) == (amount, unit)


def test_every_tier_has_a_default_in_order_from_lightest():
    assert list(DEFAULT_TIER_DURATIONS) == list(Tier)


def test_triage_is_due_within_the_light_tier():
    assert workflow.TRIAGE_TIER == Tier.LIGHT
