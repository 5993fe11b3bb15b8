"""The community satisfaction index (Indeks Kepuasan Masyarakat, PermenPANRB 14/2017).

Rules. A respondent scores nine elements (unsur) u1..u9 from 1 to 4. The NRR (nilai rata-rata)
of an element is the mean of its scores. IKM = 25 x (NRR1 + ... + NRR9) / 9, computed exactly
(the weight is 1/9, never a rounded 0.111) and shown with two decimals rounded half up. The
grade is read from the *rounded* index: A (Sangat Baik) 88.31-100.00, B (Baik) 76.61-88.30,
C (Kurang Baik) 65.00-76.60, D (Tidak Baik) 25.00-64.99; an element's own grade uses the same
bands on 25 x its NRR. The minimum number of respondents for a period is the Krejcie-Morgan
sample size for the N cases received in it:
s = 3.841 N 0.25 / (0.0025 (N - 1) + 3.841 x 0.25), rounded up.

Pure: no ORM, no clock. Values in (score sums or score rows), values out (Fractions and
Decimals, never floats).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

ELEMENT_COUNT = 9
SCORES = (1, 2, 3, 4)
ELEMENT_KEYS = tuple(f"u{i}" for i in range(1, ELEMENT_COUNT + 1))


@dataclass(frozen=True)
class Element:
    key: str
    name: str
    question: str
    labels: tuple[str, str, str, str]  # the answer worded for score 1, 2, 3, 4


# The elements with the questions and answer wordings of the regulation's questionnaire.
ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1",
        _("Persyaratan"),
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Element(
        "u2",
        _("Sistem, Mekanisme dan Prosedur"),
        _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    Element(
        "u3",
        _("Waktu Penyelesaian"),
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    Element(
        "u4",
        _("Biaya/Tarif"),
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    Element(
        "u5",
        _("Produk Spesifikasi Jenis Pelayanan"),
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
            "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    Element(
        "u6",
        _("Kompetensi Pelaksana"),
        _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    Element(
        "u7",
        _("Perilaku Pelaksana"),
        _(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"
        ),
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    Element(
        "u8",
        _("Penanganan Pengaduan, Saran dan Masukan"),
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
    Element(
        "u9",
        _("Sarana dan Prasarana"),
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
)

GRADE_NAMES = {
    "A": _("Sangat Baik"),
    "B": _("Baik"),
    "C": _("Kurang Baik"),
    "D": _("Tidak Baik"),
}
# Lowest rounded value of each grade, best first.
_BANDS = ((Decimal("88.31"), "A"), (Decimal("76.61"), "B"), (Decimal("65.00"), "C"))


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """A non-negative exact fraction to `places` decimals, a half rounded up."""
    if value < 0:
        raise ValueError("only non-negative values are rounded here")
    whole = math.floor(value * 10**places + Fraction(1, 2))
    return Decimal(whole).scaleb(-places)


def grade(rounded: Decimal) -> str:
    """The grade letter of an index already rounded to two decimals."""
    for lowest, letter in _BANDS:
        if rounded >= lowest:
            return letter
    return "D"


@dataclass(frozen=True)
class ElementResult:
    element: Element
    nrr: Fraction
    index: Fraction  # 25 x NRR

    @property
    def nrr_rounded(self) -> Decimal:
        return round_half_up(self.nrr)

    @property
    def index_rounded(self) -> Decimal:
        return round_half_up(self.index)

    @property
    def grade(self) -> str:
        return grade(self.index_rounded)


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: tuple[ElementResult, ...]
    value: Fraction | None  # None: nobody answered

    @property
    def rounded(self) -> Decimal | None:
        return None if self.value is None else round_half_up(self.value)

    @property
    def grade(self) -> str:
        return "" if self.value is None else grade(self.rounded)

    @property
    def grade_name(self) -> str:
        return GRADE_NAMES.get(self.grade, "")

    def line(self) -> str:
        """`IKM 82.47 B (120 responden)`; `IKM - (0 responden)` when nobody answered."""
        if self.value is None:
            return f"IKM - ({self.respondents} responden)"
        return f"IKM {self.rounded} {self.grade} ({self.respondents} responden)"


def from_sums(respondents: int, sums: Sequence[int]) -> IkmResult:
    """The index of `respondents` complete answers whose scores add up to `sums` per element
    (every respondent answers all nine elements, so each element has `respondents` scores)."""
    if len(sums) != ELEMENT_COUNT:
        raise ValueError("nine element sums expected")
    if respondents < 0:
        raise ValueError("respondents must not be negative")
    if respondents == 0:
        return IkmResult(0, (), None)
    for total in sums:
        if not respondents * SCORES[0] <= total <= respondents * SCORES[-1]:
            raise ValueError("a sum outside what the scores allow")
    nrrs = [Fraction(total, respondents) for total in sums]
    elements = tuple(
        ElementResult(element, nrr, 25 * nrr) for element, nrr in zip(ELEMENTS, nrrs, strict=True)
    )
    return IkmResult(respondents, elements, 25 * sum(nrrs, Fraction(0)) / ELEMENT_COUNT)


def from_rows(rows: Iterable[Sequence[int]]) -> IkmResult:
    """The index of respondents given as nine scores each."""
    sums = [0] * ELEMENT_COUNT
    count = 0
    for row in rows:
        if len(row) != ELEMENT_COUNT or any(score not in SCORES for score in row):
            raise ValueError("each row must hold nine scores from 1 to 4")
        count += 1
        for i, score in enumerate(row):
            sums[i] += score
    return from_sums(count, sums)


def minimum_sample(population: int) -> int:
    """Krejcie-Morgan sample size for `population` cases (0 for none), rounded up."""
    if population <= 0:
        return 0
    chi = Fraction(3841, 1000)
    p = Fraction(1, 4)
    d2 = Fraction(25, 10000)
    size = chi * population * p / (d2 * (population - 1) + chi * p)
    return math.ceil(size)
