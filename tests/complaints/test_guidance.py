"""complaints.guidance: one "what happens next" sentence per complaint status, in Indonesian
and English, with the due moment where the status has one."""

import pytest
from django.utils import translation

from complaints.guidance import NEXT_STEPS, next_step
from complaints.workflow import ComplaintStatus

DUE = "Selasa, 8 April 2025 pukul 09.30 WIB"

# status, a phrase its sentence must carry, whether the due moment is shown
CASES = [
    ("diterima", "mengklasifikasi", True),  # triage: the light tier's time from receipt
    ("diklasifikasi", "jawabannya paling lambat", True),
    ("ditangani", "jawabannya paling lambat", True),
    ("dijawab", "menuntaskan", False),
    ("selesai", "selesai", False),
    ("ditolak", "riwayat", False),
]


def test_every_status_has_a_sentence():
    # A status added to ComplaintStatus without a sentence fails here (and in the table below).
    assert set(NEXT_STEPS) == set(ComplaintStatus.values)
    assert {status for status, _phrase, _due in CASES} == set(ComplaintStatus.values)


@pytest.mark.parametrize("status, phrase, shows_due", CASES)
def test_sentence_says_what_happens_and_when(status, phrase, shows_due):
    with translation.override("id"):
        sentence = next_step(status, due=DUE)
        without = next_step(status)
    assert phrase in sentence
    assert (DUE in sentence) is shows_due
    assert DUE not in without and "%(due)s" not in without


@pytest.mark.parametrize("status", ComplaintStatus.values)
def test_every_sentence_is_translated_to_english(status):
    with translation.override("id"):
        indonesian = (next_step(status, due=DUE), next_step(status))
    with translation.override("en"):
        english = (next_step(status, due=DUE), next_step(status))
    assert english[0] != indonesian[0] and english[1] != indonesian[1]
    assert (DUE in english[0]) is (DUE in indonesian[0])
