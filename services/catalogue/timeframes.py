"""Reading the "Jangka Waktu" (service time limit) wording of a decree.

Rules. "N hari", "N hari kerja" and "N (kata) Hari" are N working days; only "N hari kalender"
is calendar days. "N jam" is N working hours and "N menit" N working minutes ("kerja" after the
unit is optional, and may be glued on: "harikerja"). A range "1 s/d 5 Hari Kerja" (also "1-5",
"1 sampai 5", "1 hingga 5") means at most the upper bound. "± 2 hari" (also written "\\pm",
"+/-", "kurang lebih") is read as 2 working days. A number word in parentheses after the digits
is ignored, the digits win ("1 (Satu) Jam"); number words alone are read too ("tiga hari",
"dua puluh empat jam"). Several labelled stages are read in order ("Administrasi : 15 Menit
Pertimbangan Teknis : 3 Hari" is two stages); a stage worded "sesuai ..." or "tergantung ..." is
open-ended: it sets no deadline (amount and unit None, never zero). Prose before the duration
("Waktu pelayanan informasi ± 1 hari", "Pengaduan ringan, selambat-lambatnya 3 Jam") is allowed.
Reading is case-insensitive and tolerates HTML tags, extra spaces and trailing punctuation;
unreadable text raises :class:`TimeframeError`.

The stage that governs the due time is the latest milestone: the stage with the largest rough
length, converting with the national timetable's 7.5-hour working day (1 day = 450 minutes,
1 hour = 60; a calendar day counts as a working day). On a tie the later stage wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.worktime import NATIONAL_DAY_MINUTES, Unit, range_phrase, unit_phrase

__all__ = ["Stage", "Timeframe", "TimeframeError", "parse_timeframe", "number_from_words"]

ROUGH_MINUTES = {
    Unit.WORKING_DAY: NATIONAL_DAY_MINUTES,
    Unit.CALENDAR_DAY: NATIONAL_DAY_MINUTES,
    Unit.WORKING_HOUR: 60,
    Unit.WORKING_MINUTE: 1,
}


class TimeframeError(ValueError):
    """The wording of a time limit cannot be read."""


@dataclass(frozen=True)
class Stage:
    """One stage of a time limit. ``amount``/``unit`` None: open-ended ("sesuai materi
    konsultasi"). ``minimum`` is the lower bound of a range ("1 s/d 5"), else None."""

    label: str
    amount: int | None
    unit: Unit | None
    wording: str
    minimum: int | None = None

    @property
    def has_deadline(self) -> bool:
        return self.amount is not None and self.unit is not None

    def rough_minutes(self) -> int | None:
        """Length in working minutes with a 7.5-hour day (for comparing stages only)."""
        if not self.has_deadline:
            return None
        return self.amount * ROUGH_MINUTES[self.unit]  # type: ignore[index,operator]

    def in_words(self, language: str = "id") -> str:
        """In Indonesian or English ("en"); the decree's wording of an open-ended stage is kept."""
        if not self.has_deadline:
            none = "no set time limit" if language.startswith("en") else "tanpa batas waktu"
            text = self.wording.strip()
            if not text or text == "tanpa batas waktu":
                return none
            return f"{text[0].lower()}{text[1:]} ({none})"
        if self.minimum is not None and self.minimum != self.amount:
            return range_phrase(self.minimum, self.amount, self.unit, language)  # type: ignore[arg-type]
        return unit_phrase(self.amount, self.unit, language)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Timeframe:
    wording: str
    stages: tuple[Stage, ...]

    @property
    def has_deadline(self) -> bool:
        return any(stage.has_deadline for stage in self.stages)

    def governing_stage(self) -> Stage | None:
        """The stage that sets the due time: the latest milestone, i.e. the stage with the
        largest rough length (see :meth:`Stage.rough_minutes`); the later one on a tie; None
        when no stage has a deadline."""
        best: Stage | None = None
        for stage in self.stages:
            minutes = stage.rough_minutes()
            if minutes is None:
                continue
            if best is None or minutes >= best.rough_minutes():  # type: ignore[operator]
                best = stage
        return best

    def in_words(self, language: str = "id") -> str:
        """In words: "5 hari kerja"; "Administrasi: 15 menit kerja; Konsultasi: sesuai materi
        konsultasi (tanpa batas waktu)"; in English with ``language`` "en" ("Administrasi: 15
        working minutes"; the stage names are the decree's)."""
        parts = []
        for stage in self.stages:
            words = stage.in_words(language)
            parts.append(f"{stage.label}: {words}" if stage.label else words)
        return "; ".join(parts)


# --------------------------------------------------------------------------- number words

_DIGIT_WORDS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}  # fmt: skip
_WHOLE_WORDS = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_NUMBER_WORD = (
    r"(?:nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus"
    r"|belas|puluh|ratus)"
)
_NUMBER_WORDS = rf"\b{_NUMBER_WORD}(?:\s+{_NUMBER_WORD})*\b"


def number_from_words(text: str) -> int:
    """Number words: "dua puluh lima" -> 25, "dua belas" -> 12, "seratus dua puluh" -> 120."""
    value, pending = 0, None
    tokens = text.lower().split()
    if not tokens:
        raise TimeframeError("bilangan kosong")
    for token in tokens:
        if token in _DIGIT_WORDS:
            if pending is not None:
                raise TimeframeError(f"bilangan tidak terbaca: {text!r}")
            pending = _DIGIT_WORDS[token]
        elif token in _WHOLE_WORDS:
            if pending is not None:
                raise TimeframeError(f"bilangan tidak terbaca: {text!r}")
            value += _WHOLE_WORDS[token]
        elif token in ("belas", "puluh", "ratus"):
            if pending is None:
                raise TimeframeError(f"bilangan tidak terbaca: {text!r}")
            value += pending * {"belas": 1, "puluh": 10, "ratus": 100}[token] + (
                10 if token == "belas" else 0
            )
            pending = None
        else:
            raise TimeframeError(f"bilangan tidak terbaca: {text!r}")
    return value + (pending or 0)


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text.isdigit() else number_from_words(text)


# --------------------------------------------------------------------------- patterns

_NUM = rf"(?:\d+|{_NUMBER_WORDS})"
_WORDS_IN_PARENS = r"(?:\s*\(\s*[a-z\s]*\))?"
_RANGE_SEP = r"\s*(?:s\s*/\s*d\.?|s\.\s*d\.?|sampai(?:\s+dengan)?|hingga|-|–|—)\s*"
_UNIT = r"(?P<unit>hari\s*kalender|hari(?:\s*kerja)?|jam(?:\s*kerja)?|menit(?:\s*kerja)?)\b"
_DURATION = re.compile(
    rf"(?:(?P<low>{_NUM}){_WORDS_IN_PARENS}{_RANGE_SEP})?(?P<high>{_NUM}){_WORDS_IN_PARENS}\s*{_UNIT}",
    re.IGNORECASE,
)
_OPEN = re.compile(r"\b(?:sesuai|tergantung|menyesuaikan|disesuaikan)\b", re.IGNORECASE)
# words allowed before a duration that starts a stage value
_QUALIFIER = re.compile(
    r"^\s*(?:±|kurang\s+lebih|lebih\s+kurang|paling\s+lama|maksimal|maks\.?|"
    r"selambat-lambatnya|sekitar|\s)*$",
    re.IGNORECASE,
)
_COLON = re.compile(r"\s*(?<!\d):(?!\d)\s*")
_TRAILING_CAPITALISED = re.compile(r"((?:\b[A-Z][\w/.-]*\s*)+)$")
_LIST_MARKER = re.compile(r"^(?:[-•*]\s*|\(?[a-z0-9]{1,2}[.)]\s+)", re.IGNORECASE)
_PUNCT = " \t;,.:-–"


def _clean(text: str) -> str:
    text = re.sub(r"<[^>]*>", " ", text)
    text = text.replace("\\pm", "±").replace("+/-", "±").replace("&plusmn;", "±")
    text = text.replace("\u00a0", " ").replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", text).strip()


def _tidy(text: str) -> str:
    return text.strip(_PUNCT + " ")


def _label(text: str) -> str:
    return _LIST_MARKER.sub("", _tidy(text)).strip()


def _stage(label: str, value: str, whole: str) -> Stage:
    value = _tidy(value)
    match = _DURATION.search(value)
    if match:
        unit_text = re.sub(r"\s+", "", match.group("unit").lower())
        unit = {
            "hari": Unit.WORKING_DAY,
            "harikerja": Unit.WORKING_DAY,
            "harikalender": Unit.CALENDAR_DAY,
            "jam": Unit.WORKING_HOUR,
            "jamkerja": Unit.WORKING_HOUR,
            "menit": Unit.WORKING_MINUTE,
            "menitkerja": Unit.WORKING_MINUTE,
        }[unit_text]
        amount = _number(match.group("high"))
        minimum = _number(match.group("low")) if match.group("low") else None
        if amount <= 0:
            raise TimeframeError(f"jangka waktu nol tidak sah: {whole!r}")
        if minimum is not None and minimum > amount:
            raise TimeframeError(f"rentang terbalik: {whole!r}")
        return Stage(label, amount, unit, value, minimum)
    if _OPEN.search(value):
        return Stage(label, None, None, value)
    raise TimeframeError(f"jangka waktu tidak terbaca: {whole!r}")


def _split_value_and_next_label(part: str, whole: str) -> tuple[str, str]:
    """A part between two colons: the value of one stage, then the label of the next."""
    match = _DURATION.search(part)
    if match and _QUALIFIER.match(part[: match.start()]):
        return part[: match.end()], part[match.end() :]
    if _OPEN.match(part.strip()):
        tail = _TRAILING_CAPITALISED.search(part)
        if tail and tail.start() > 0:
            return part[: tail.start()], tail.group(1)
    raise TimeframeError(f"tahapan jangka waktu tidak terbaca: {whole!r}")


def parse_timeframe(text: str) -> Timeframe:
    """Read a decree's "Jangka Waktu" wording (see the module docstring for the rules)."""
    if not isinstance(text, str):
        raise TimeframeError(f"jangka waktu harus berupa teks, bukan {type(text).__name__}")
    cleaned = _clean(text)
    if not _tidy(cleaned):
        raise TimeframeError("jangka waktu kosong")
    parts = _COLON.split(cleaned)
    if len(parts) == 1:
        return Timeframe(cleaned, (_stage("", cleaned, cleaned),))
    labels = [_label(parts[0])]
    values: list[str] = []
    for middle in parts[1:-1]:
        value, next_label = _split_value_and_next_label(middle, cleaned)
        values.append(value)
        labels.append(_label(next_label))
    values.append(parts[-1])
    if any(not label for label in labels[1:]):
        raise TimeframeError(f"tahapan tanpa nama: {cleaned!r}")
    stages = tuple(
        _stage(label, value, cleaned) for label, value in zip(labels, values, strict=True)
    )
    return Timeframe(cleaned, stages)
