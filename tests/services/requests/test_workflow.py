"""services.requests.workflow: which status may follow which, and what each step does to the
clock. Pure rules, tested as tables."""

from __future__ import annotations

import itertools

import pytest

from services.requests import workflow
from services.requests.workflow import RequestStatus as S

# Every transition the workflow allows; any other pair is refused (see the test below).
ALLOWED = [
    (S.RECEIVED, S.VERIFIED),  # diterima -> diverifikasi: documents checked
    (S.RECEIVED, S.RETURNED),  # diterima -> dikembalikan: something is missing
    (S.RECEIVED, S.REJECTED),  # diterima -> ditolak
    (S.VERIFIED, S.IN_PROGRESS),  # diverifikasi -> diproses
    (S.VERIFIED, S.RETURNED),  # diverifikasi -> dikembalikan
    (S.VERIFIED, S.REJECTED),  # diverifikasi -> ditolak
    (S.IN_PROGRESS, S.DONE),  # diproses -> selesai
    (S.IN_PROGRESS, S.RETURNED),  # diproses -> dikembalikan: missing documents found late
    (S.IN_PROGRESS, S.REJECTED),  # diproses -> ditolak
    (S.RETURNED, S.RECEIVED),  # dikembalikan -> diterima: the applicant resubmits
    (S.RETURNED, S.REJECTED),  # dikembalikan -> ditolak: never completed
]

REFUSED = [
    (S.RECEIVED, S.IN_PROGRESS),  # diterima -> diproses: verification cannot be skipped
    (S.RECEIVED, S.DONE),  # diterima -> selesai: nor can processing
    (S.VERIFIED, S.DONE),  # diverifikasi -> selesai
    (S.VERIFIED, S.RECEIVED),  # diverifikasi -> diterima: no going back
    (S.RETURNED, S.VERIFIED),  # dikembalikan -> diverifikasi: only a resubmission resumes
    (S.RETURNED, S.IN_PROGRESS),  # dikembalikan -> diproses
    (S.RETURNED, S.RETURNED),  # dikembalikan -> dikembalikan: already paused
    (S.DONE, S.RECEIVED),  # selesai -> diterima: a closed request stays closed
    (S.DONE, S.REJECTED),  # selesai -> ditolak
    (S.REJECTED, S.RECEIVED),  # ditolak -> diterima
    (S.RECEIVED, S.RECEIVED),  # diterima -> diterima: not a step
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


# (status, open, running, paused, closed)
SETS = [
    (S.RECEIVED, True, True, False, False),  # diterima: the clock runs
    (S.VERIFIED, True, True, False, False),  # diverifikasi: the clock runs
    (S.IN_PROGRESS, True, True, False, False),  # diproses: the clock runs
    (S.RETURNED, True, False, True, False),  # dikembalikan: open, clock stopped
    (S.DONE, False, False, False, True),  # selesai: closed
    (S.REJECTED, False, False, False, True),  # ditolak: closed
]


@pytest.mark.parametrize(("status", "is_open", "running", "paused", "closed"), SETS)
def test_status_sets(status, is_open, running, paused, closed):
    assert (
        status in workflow.OPEN,
        status in workflow.RUNNING,
        status in workflow.PAUSED,
        status in workflow.CLOSED,
    ) == (is_open, running, paused, closed)


def test_every_status_is_running_paused_or_closed_exactly_once():
    groups = workflow.RUNNING + workflow.PAUSED + workflow.CLOSED
    assert sorted(groups) == sorted(S.values)


# (from, to, pauses, resumes, completes)
CLOCK = [
    (S.RECEIVED, S.RETURNED, True, False, False),  # diterima -> dikembalikan: clock stops
    (S.VERIFIED, S.RETURNED, True, False, False),  # diverifikasi -> dikembalikan: stops
    (S.IN_PROGRESS, S.RETURNED, True, False, False),  # diproses -> dikembalikan: stops
    (S.RETURNED, S.RETURNED, False, False, False),  # already stopped: not stopped twice
    (S.RETURNED, S.RECEIVED, False, True, False),  # dikembalikan -> diterima: clock restarts
    (S.RETURNED, S.REJECTED, False, False, False),  # dikembalikan -> ditolak: stays stopped
    (S.RECEIVED, S.VERIFIED, False, False, False),  # diterima -> diverifikasi: keeps running
    (S.IN_PROGRESS, S.DONE, False, False, True),  # diproses -> selesai: completed
    (S.IN_PROGRESS, S.REJECTED, False, False, False),  # diproses -> ditolak: closed, not done
]


@pytest.mark.parametrize(("from_status", "to_status", "pauses", "resumes", "completes"), CLOCK)
def test_what_a_step_does_to_the_clock(from_status, to_status, pauses, resumes, completes):
    assert (
        workflow.pauses(from_status, to_status),
        workflow.resumes(from_status, to_status),
        workflow.completes(to_status),
    ) == (pauses, resumes, completes)


@pytest.mark.parametrize(
    ("status", "always_public"),
    [
        (S.RETURNED, True),  # dikembalikan: the applicant must know what to bring
        (S.REJECTED, True),  # ditolak: and why
        (S.VERIFIED, False),  # diverifikasi: internal unless staff show it
        (S.DONE, False),  # selesai: internal unless staff show it
    ],
)
def test_notes_always_shown_to_the_applicant(status, always_public):
    assert (status in workflow.NOTE_ALWAYS_PUBLIC) is always_public
