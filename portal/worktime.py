"""Working-time calendar of an agency: deadlines counted in working days, hours and minutes.

Rules. Every agency works in its own IANA time zone (Asia/Jakarta and Asia/Pontianak = WIB,
Asia/Makassar = WITA, Asia/Jayapura = WIT) with weekly office hours; the default national
timetable (37.5 hours a week) is Monday-Thursday 07.30-16.00 with a break 12.00-13.00 and Friday
07.30-16.30 with a break 11.30-13.00; breaks are not working time and Saturday and Sunday are
closed. Non-working days are the days without office hours (Saturday, Sunday), the national
public holidays and cuti bersama of the ``holidays`` package (categories "public" and
"government", Indonesian names) and the closures an agency records itself (date -> reason).
"N hari (kerja)": the day of receipt never counts; day 1 is the first working day after the
day of receipt (in agency local time) and the deadline is the close of office hours on day N.
"N jam/menit (kerja)": counted only inside office hours from the moment of receipt (a receipt
outside office hours starts counting at the next opening); a result landing exactly on a
closing time or the start of a break stays there. "N hari kalender": day 1 is the day after
receipt, the deadline is the close of office hours on day N or, when day N is not a working
day, the close of the next working day. Datetimes are always aware (naive ones raise
ValueError), may come in any zone and are returned in the agency's zone; wall-clock local
time is what counts. A pause at P of a deadline D keeps the working time between P and D (never
negative); resuming at R gives R plus that working time, in working seconds, whatever the rule.

The module is pure: no Django, no database, no clock. A calendar precomputes, for a range of
years, the sorted ordinals of its working days and the prefix sums of working time per day, so
that adding or measuring working days or working seconds is a binary search (O(log n)); the
range is extended on demand when a date outside it is asked.
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays as _holidays_pkg

__all__ = [
    "NATIONAL_DAY_MINUTES",
    "Deadline",
    "OfficeHours",
    "SkippedDay",
    "Unit",
    "WorkCalendar",
    "day_name",
    "format_date",
    "format_moment",
    "english_holiday_names",
    "indonesian_holidays",
    "range_phrase",
    "unit_phrase",
    "unit_words",
    "zone_abbreviation",
]

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
# English names, for pages and messages read in English (records stay in Indonesian).
DAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}

_US = 1_000_000  # microseconds per second: positions are kept in integer microseconds
_DAY_US = 86_400 * _US
_MIN_YEAR, _MAX_YEAR = 1900, 9998
_EXTEND_YEARS = 5


class Unit(StrEnum):
    WORKING_DAY = "working_day"
    WORKING_HOUR = "working_hour"
    WORKING_MINUTE = "working_minute"
    CALENDAR_DAY = "calendar_day"


_UNIT_WORDS = {
    Unit.WORKING_DAY: "hari kerja",
    Unit.WORKING_HOUR: "jam kerja",
    Unit.WORKING_MINUTE: "menit kerja",
    Unit.CALENDAR_DAY: "hari kalender",
}


def unit_words(unit: Unit | str) -> str:
    """Indonesian words of a unit: "hari kerja", "jam kerja", "menit kerja", "hari kalender"."""
    return _UNIT_WORDS[Unit(unit)]


_UNIT_WORDS_EN = {
    Unit.WORKING_DAY: ("working day", "working days"),
    Unit.WORKING_HOUR: ("working hour", "working hours"),
    Unit.WORKING_MINUTE: ("working minute", "working minutes"),
    Unit.CALENDAR_DAY: ("calendar day", "calendar days"),
}


def unit_phrase(amount: int, unit: Unit | str, language: str | None = None) -> str:
    """An amount of a unit: "3 hari kerja", or with ``language`` "en" "3 working days"."""
    if _english(language):
        singular, plural = _UNIT_WORDS_EN[Unit(unit)]
        return f"{amount} {singular if amount == 1 else plural}"
    return f"{amount} {unit_words(unit)}"


def range_phrase(low: int, high: int, unit: Unit | str, language: str | None = None) -> str:
    """ "1 sampai 5 hari kerja", in English "1 to 5 working days"."""
    if _english(language):
        return f"{low} to {unit_phrase(high, unit, 'en')}"
    return f"{low} sampai {high} {unit_words(unit)}"


# --------------------------------------------------------------------------- office hours

Interval = tuple[time, time]


def _time_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


def _parse_time(text: str) -> time:
    text = text.strip().replace(".", ":")
    hour, _, minute = text.partition(":")
    return time(int(hour), int(minute or 0))


@dataclass(frozen=True)
class OfficeHours:
    """Weekly office hours: ``weekly[weekday]`` (0 = Monday .. 6 = Sunday) is a tuple of
    working intervals ``(start, end)`` in local wall-clock time; breaks are the gaps between
    intervals. Missing weekdays are closed. Intervals are sorted and must not overlap."""

    weekly: Mapping[int, tuple[Interval, ...]]

    def __post_init__(self) -> None:
        unknown = set(self.weekly) - set(range(7))
        if unknown:
            raise ValueError(f"hari dalam minggu tidak dikenal: {sorted(unknown)}")
        normalised: dict[int, tuple[Interval, ...]] = {}
        for weekday in range(7):
            raw = (tuple(i) for i in self.weekly.get(weekday, ()))
            intervals = tuple(sorted(raw, key=lambda i: i[0]))
            previous_end: time | None = None
            for start, end in intervals:
                if not (isinstance(start, time) and isinstance(end, time)):
                    raise ValueError("jam layanan harus berupa datetime.time")
                if start.tzinfo is not None or end.tzinfo is not None:
                    raise ValueError("jam layanan adalah jam dinding setempat (tanpa zona)")
                if not start < end:
                    raise ValueError(f"interval jam layanan tidak sah: {start}-{end}")
                if previous_end is not None and start < previous_end:
                    raise ValueError(f"interval jam layanan bertumpang tindih: {start}")
                previous_end = end
            normalised[weekday] = intervals  # type: ignore[assignment]
        object.__setattr__(self, "weekly", MappingProxyType(normalised))

    def __hash__(self) -> int:
        return hash(tuple(self.weekly[d] for d in range(7)))

    def __reduce__(self) -> tuple[type[OfficeHours], tuple[dict[int, tuple[Interval, ...]]]]:
        return (OfficeHours, (dict(self.weekly),))  # a mappingproxy does not pickle

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OfficeHours):
            return NotImplemented
        return all(self.weekly[d] == other.weekly[d] for d in range(7))

    @classmethod
    def default(cls) -> OfficeHours:
        """The national timetable: Mon-Thu 07.30-16.00 (break 12.00-13.00), Fri 07.30-16.30
        (break 11.30-13.00), 37.5 hours a week."""
        mon_thu = ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0)))
        friday = ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30)))
        return cls({0: mon_thu, 1: mon_thu, 2: mon_thu, 3: mon_thu, 4: friday})

    @classmethod
    def parse(cls, spec: Mapping[int, str | Iterable[str]]) -> OfficeHours:
        """Build from text: ``{0: "07.30-12.00, 13.00-16.00", 4: ["07:30-11:30", ...]}``."""
        weekly: dict[int, tuple[Interval, ...]] = {}
        for weekday, value in spec.items():
            parts = value.split(",") if isinstance(value, str) else list(value)
            intervals = []
            for part in parts:
                if not part.strip():
                    continue
                start, sep, end = part.partition("-")
                if not sep:
                    raise ValueError(f"interval tidak sah: {part!r}")
                intervals.append((_parse_time(start), _parse_time(end)))
            weekly[int(weekday)] = tuple(intervals)
        return cls(weekly)

    def intervals(self, weekday: int) -> tuple[Interval, ...]:
        return self.weekly[weekday]

    def weekly_minutes(self) -> int:
        total_us = sum(
            _time_us(end) - _time_us(start) for d in range(7) for start, end in self.weekly[d]
        )
        return total_us // (60 * _US)

    def daily_us(self, weekday: int) -> int:
        return sum(_time_us(end) - _time_us(start) for start, end in self.weekly[weekday])

    def working_day_seconds(self) -> int:
        """The length of an average working day: the week's office time divided by the
        weekdays with office hours (7.5 hours = 27,000 s in the national timetable). Working
        time is put in words ("2 hari kerja lebih 3 jam") with this day."""
        days = sum(1 for d in range(7) if self.weekly[d])
        return (self.weekly_minutes() * 60) // days if days else 0


# The national timetable's working day (7.5 hours): what "1 hari kerja" means where no
# agency's own hours apply, e.g. comparing the time limits of services of many agencies.
NATIONAL_DAY_MINUTES = OfficeHours.default().working_day_seconds() // 60


# --------------------------------------------------------------------------- holidays


@functools.lru_cache(maxsize=32)
def _indonesian_holidays(years: tuple[int, ...]) -> tuple[tuple[date, str], ...]:
    data = _holidays_pkg.country_holidays(
        "ID", years=years, categories=("public", "government"), language="id"
    )
    return tuple(sorted(data.items()))


@functools.lru_cache(maxsize=32)
def _english_holidays(years: tuple[int, ...]) -> tuple[tuple[date, str], ...]:
    data = _holidays_pkg.country_holidays(
        "ID", years=years, categories=("public", "government"), language="en_US"
    )
    return tuple(sorted(data.items()))


def english_holiday_names(years: Iterable[int]) -> dict[date, str]:
    """The same days as ``indonesian_holidays`` with the package's English names."""
    return dict(_english_holidays(tuple(sorted(set(years)))))


def indonesian_holidays(years: Iterable[int]) -> dict[date, str]:
    """National public holidays and cuti bersama (the package's "government" category) with
    their Indonesian names. Several holidays on one day come joined with "; "."""
    return dict(_indonesian_holidays(tuple(sorted(set(years)))))


# --------------------------------------------------------------------------- formatting


def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _zone_name(tz: str | tzinfo) -> str:
    return tz if isinstance(tz, str) else getattr(tz, "key", None) or str(tz)


def _require_aware(dt: datetime, what: str = "waktu") -> None:
    if not isinstance(dt, datetime):
        raise TypeError(f"{what} harus berupa datetime, bukan {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what} tanpa zona waktu (naive datetime) tidak diterima: {dt!r}")


def _offset_label(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}.{mins:02d}"


def zone_abbreviation(tz_name: str | tzinfo, at: datetime | None = None) -> str:
    """WIB, WITA or WIT for the Indonesian zones; otherwise the UTC offset ("UTC+07.00") at
    ``at`` (default: 1 January 2025)."""
    name = _zone_name(tz_name)
    if name in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[name]
    zone = _zone(tz_name)
    moment = at if at is not None else datetime(2025, 1, 1, 12, tzinfo=zone)
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    offset = moment.astimezone(zone).utcoffset() or timedelta(0)
    return _offset_label(offset)


def _english(language: str | None) -> bool:
    return (language or "id").startswith("en")


def day_name(weekday: int, language: str | None = None) -> str:
    """ "Senin" for weekday 0 ("Monday" with ``language`` "en")."""
    return (DAY_NAMES_EN if _english(language) else DAY_NAMES)[weekday]


def format_date(d: date, language: str | None = None) -> str:
    """The date in Indonesian, "Senin, 14 April 2025", or in English with ``language`` "en"
    ("Monday, 14 April 2025"); portal.localtime passes the reader's language."""
    if _english(language):
        return f"{DAY_NAMES_EN[d.weekday()]}, {d.day} {MONTH_NAMES_EN[d.month - 1]} {d.year}"
    return f"{DAY_NAMES[d.weekday()]}, {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def format_moment(dt: datetime, tz: str | tzinfo, language: str | None = None) -> str:
    """In ``tz``, no seconds: "Senin, 14 April 2025 pukul 16.00 WIB", or with ``language``
    "en" "Monday, 14 April 2025 at 16:00 WIB"."""
    _require_aware(dt)
    local = dt.astimezone(_zone(tz))
    zone = zone_abbreviation(tz, local)
    if _english(language):
        day = format_date(local.date(), language="en")
        return f"{day} at {local.hour:02d}:{local.minute:02d} {zone}"
    return f"{format_date(local.date(), 'id')} pukul {local.hour:02d}.{local.minute:02d} {zone}"


# --------------------------------------------------------------------------- deadlines

_NO_HOURS = "Tidak ada jam layanan pada hari "  # the reason of a weekday without office hours


@dataclass(frozen=True)
class SkippedDay:
    date: date
    reason: str

    def __str__(self) -> str:
        return self.describe("id")

    def describe(self, language: str | None = None) -> str:
        """ "Minggu, 30 Maret 2025 (akhir pekan)"; in English "Sunday, 30 March 2025 (weekend)",
        a national holiday by its English name, an agency's own closure as it was written."""
        # "Minggu, 30 Maret 2025 (Minggu)" would say nothing: a plain weekend reads "akhir pekan"
        if not _english(language):
            reason = "akhir pekan" if self.reason in ("Sabtu", "Minggu") else self.reason
            return f"{format_date(self.date, 'id')} ({reason})"
        return f"{format_date(self.date, 'en')} ({self._english_reason()})"

    def _english_reason(self) -> str:
        if self.reason in ("Sabtu", "Minggu"):
            return "weekend"
        if self.reason == "Kantor tutup":
            return "office closed"
        if self.reason.startswith(_NO_HOURS):
            weekday = DAY_NAMES.index(self.reason.removeprefix(_NO_HOURS))
            return f"no office hours on {DAY_NAMES_EN[weekday]}"
        if indonesian_holidays([self.date.year]).get(self.date) == self.reason:
            return english_holiday_names([self.date.year]).get(self.date, self.reason)
        return self.reason


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and what explains it. ``skipped`` (the non-working days between
    receipt and due, with reasons) is computed on first access from ``calendar``."""

    due: datetime
    unit: Unit
    amount: int
    start: datetime
    label: str = ""
    calendar: WorkCalendar | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def skipped(self) -> tuple[SkippedDay, ...]:
        if self.calendar is None:
            return ()
        return self.calendar.skipped_days(self.start, self.due, self.unit, self.amount)

    @property
    def rule(self) -> str:
        """The rule in words: "5 hari kerja"."""
        return f"{self.amount} {unit_words(self.unit)}"

    def explain(self, language: str | None = None) -> str:
        """The deadline in Indonesian (or in English with ``language`` "en"), one statement a
        line."""
        words = _EXPLAIN_EN if _english(language) else _EXPLAIN_ID
        lang = "en" if _english(language) else "id"
        tz = self.calendar.tz if self.calendar is not None else self.due.tzinfo
        lines: list[str] = []
        if self.label:
            lines.append(words["stage"].format(label=self.label))
        rule = unit_phrase(self.amount, self.unit, lang)
        if self.unit is Unit.CALENDAR_DAY:
            lines.append(words["calendar_days"].format(rule=rule))
        elif self.unit is Unit.WORKING_DAY:
            lines.append(words["working_days"].format(rule=rule))
        else:
            lines.append(words["hours"].format(rule=rule))
        lines.append(words["received"].format(at=format_moment(self.start, tz, lang)))
        if self.calendar is not None and self.amount > 0:
            cal = self.calendar
            if self.unit is Unit.WORKING_DAY:
                first = cal.add_working_days(self.start, 1).date()
                lines.append(words["first_working_day"].format(day=format_date(first, lang)))
            elif self.unit is Unit.CALENDAR_DAY:
                first = self.start.astimezone(cal.tz).date() + timedelta(days=1)
                lines.append(words["first_day"].format(day=format_date(first, lang)))
            else:
                opening = cal.next_opening(self.start)
                if opening != self.start:
                    lines.append(words["starts"].format(at=format_moment(opening, tz, lang)))
        heading = words["moved_by"] if self.unit is Unit.CALENDAR_DAY else words["not_counted"]
        skipped = "; ".join(s.describe(lang) for s in self.skipped) or words["none"]
        lines.append(f"{heading}: {skipped}.")
        lines.append(words["due"].format(at=format_moment(self.due, tz, lang)))
        return "\n".join(lines)


_EXPLAIN_ID = {
    "stage": "Tahap: {label}.",
    "working_days": "Aturan: {rule}; hari penerimaan tidak dihitung; jatuh tempo pada akhir jam "
    "layanan hari kerja terakhir.",
    "calendar_days": "Aturan: {rule}; hari penerimaan tidak dihitung; bila hari terakhir bukan "
    "hari kerja, jatuh tempo pada akhir jam layanan hari kerja berikutnya.",
    "hours": "Aturan: {rule}; dihitung hanya pada jam layanan sejak diterima (di luar jam "
    "layanan dihitung mulai jam buka berikutnya).",
    "received": "Diterima {at}.",
    "first_working_day": "Hari kerja ke-1: {day}.",
    "first_day": "Hari ke-1: {day}.",
    "starts": "Penghitungan dimulai {at}.",
    "moved_by": "Hari libur yang menggeser jatuh tempo",
    "not_counted": "Hari yang tidak dihitung",
    "none": "tidak ada",
    "due": "Jatuh tempo: {at}.",
}
_EXPLAIN_EN = {
    "stage": "Stage: {label}.",
    "working_days": "Rule: {rule}; the day of receipt is not counted; due at the close of office "
    "hours on the last working day.",
    "calendar_days": "Rule: {rule}; the day of receipt is not counted; when the last day is not "
    "a working day, due at the close of office hours on the next working day.",
    "hours": "Rule: {rule}; counted only within office hours from receipt (outside office "
    "hours, counting starts at the next opening).",
    "received": "Received {at}.",
    "first_working_day": "Working day 1: {day}.",
    "first_day": "Day 1: {day}.",
    "starts": "Counting starts {at}.",
    "moved_by": "Holidays that moved the due date",
    "not_counted": "Days not counted",
    "none": "none",
    "due": "Due: {at}.",
}


# --------------------------------------------------------------------------- calendar


def _weekday_of_ordinal(ordinal: int) -> int:
    return (ordinal + 6) % 7  # ordinal 1 (1 January of year 1) is a Monday


class _Span:
    """An immutable precomputation over whole years: ``working`` is the sorted ordinals of
    the working days; ``cum[i]`` the working microseconds before day ``base + i``."""

    __slots__ = ("first_year", "last_year", "base", "end", "working", "cum")

    def __getstate__(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)

    def __init__(
        self,
        first_year: int,
        last_year: int,
        base: int,
        end: int,
        working: list[int],
        cum: list[int],
    ) -> None:
        self.first_year, self.last_year = first_year, last_year
        self.base, self.end = base, end
        self.working, self.cum = working, cum


class WorkCalendar:
    """The working calendar of one agency (zone, office hours, holidays, closures)."""

    def __init__(
        self,
        tz: str | tzinfo,
        hours: OfficeHours | None = None,
        closures: Mapping[date, str] | None = None,
        holidays: Mapping[date, str] | None = None,
        years: range | None = None,
    ) -> None:
        self.tz: ZoneInfo = _zone(tz)  # type: ignore[assignment]
        self.tz_name: str = _zone_name(tz)
        self.hours: OfficeHours = hours if hours is not None else OfficeHours.default()
        self.closures: dict[date, str] = dict(closures or {})
        self._default_holidays = holidays is None
        self._holidays: dict[date, str] = {} if holidays is None else dict(holidays)
        if years is None:
            years = range(2020, 2036)
        if len(years) == 0:
            raise ValueError("rentang tahun kosong")
        # per weekday: intervals in microseconds of the day, cumulative working time before each
        self._iv: list[tuple[tuple[int, int, int], ...]] = []
        for weekday in range(7):
            rows, acc = [], 0
            for start, end in self.hours.intervals(weekday):
                a, b = _time_us(start), _time_us(end)
                rows.append((a, b, acc))
                acc += b - a
            self._iv.append(tuple(rows))
        self._day_us = [self.hours.daily_us(w) for w in range(7)]
        self._close_time: list[time | None] = [
            (ivs[-1][1] if ivs else None) for ivs in (self.hours.intervals(w) for w in range(7))
        ]
        if not any(self._day_us):
            raise ValueError("jam layanan kosong: tidak ada waktu kerja sama sekali")
        first, last = max(min(years), _MIN_YEAR), min(max(years), _MAX_YEAR)
        self._lock = threading.Lock()
        # the precomputed range is replaced whole (never mutated), so readers need no lock
        self._span: _Span = self._build(first, last)

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        del state["_lock"]  # a lock does not pickle
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        span = self._span
        return f"WorkCalendar({self.tz_name!r}, years={span.first_year}-{span.last_year})"

    # ----------------------------------------------------------------- precomputation

    def _build(self, first_year: int, last_year: int) -> _Span:
        """A new span for the years (the caller holds the lock or owns the calendar)."""
        if self._default_holidays:
            self._holidays = indonesian_holidays(range(first_year, last_year + 1))
        base = date(first_year, 1, 1).toordinal()
        end = date(last_year + 1, 1, 1).toordinal()  # exclusive
        working: list[int] = []
        cumulative = [0]
        acc = 0
        holidays_, closures = self._holidays, self.closures
        day_us = self._day_us
        for ordinal in range(base, end):
            w = day_us[_weekday_of_ordinal(ordinal)]
            if w:
                d = date.fromordinal(ordinal)
                if d in holidays_ or d in closures:
                    w = 0
                else:
                    working.append(ordinal)
            acc += w
            cumulative.append(acc)
        return _Span(first_year, last_year, base, end, working, cumulative)

    def _span_for(self, *ordinals: int) -> _Span:
        """The current span, extended (by whole years, with a margin) to cover ``ordinals``."""
        span = self._span
        lo, hi = min(ordinals), max(ordinals)
        if span.base <= lo and hi < span.end:
            return span
        with self._lock:
            span = self._span
            first, last = span.first_year, span.last_year
            lo_year, hi_year = date.fromordinal(lo).year, date.fromordinal(hi).year
            if lo_year < first:
                first = max(lo_year - _EXTEND_YEARS, _MIN_YEAR)
            if hi_year > last:
                last = min(hi_year + _EXTEND_YEARS, _MAX_YEAR)
            if not (first <= lo_year and hi_year <= last):
                raise ValueError(f"tanggal di luar jangkauan kalender: {date.fromordinal(hi)}")
            if (first, last) != (span.first_year, span.last_year):
                span = self._span = self._build(first, last)
            return span

    def _grow(self, span: _Span) -> _Span:
        """A span reaching at least one year beyond ``span``."""
        if span.last_year >= _MAX_YEAR:
            raise ValueError("tenggat di luar jangkauan kalender")
        return self._span_for(span.base, date(span.last_year + 1, 12, 31).toordinal())

    # ----------------------------------------------------------------- conversions

    def _local(self, moment: datetime) -> datetime:
        _require_aware(moment)
        return moment.astimezone(self.tz)

    def _position(self, span: _Span, local: datetime) -> int:
        """Working microseconds from the span's base up to ``local`` (inside the span)."""
        ordinal = local.toordinal()
        i = ordinal - span.base
        cum = span.cum
        position = cum[i]
        if cum[i + 1] == position:  # not a working day
            return position
        tod = ((local.hour * 60 + local.minute) * 60 + local.second) * _US + local.microsecond
        for a, b, before in self._iv[_weekday_of_ordinal(ordinal)]:
            if tod < a:
                return position + before
            if tod <= b:
                return position + before + tod - a
        return cum[i + 1]

    def _positions(self, *moments: datetime) -> tuple[_Span, list[int]]:
        """Positions of local moments, all measured on one span."""
        span = self._span_for(*(local.toordinal() for local in moments))
        return span, [self._position(span, local) for local in moments]

    def _at(self, ordinal: int, tod_us: int) -> datetime:
        seconds, micro = divmod(tod_us, _US)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        d = date.fromordinal(ordinal)
        return datetime(d.year, d.month, d.day, hour, minute, second, micro, tzinfo=self.tz)

    def _moment(self, span: _Span, position: int, *, land_on_end: bool) -> datetime:
        """The moment at working position ``position`` of ``span``. With ``land_on_end`` a
        position equal to the end of an interval is that interval's end (a closing time or a
        break start); otherwise it is the start of the next interval (the next opening)."""
        while position > span.cum[-1] or (not land_on_end and position >= span.cum[-1]):
            wider = self._grow(span)
            # a wider span may start earlier: shift the position onto its base
            position += wider.cum[span.base - wider.base]
            span = wider
        cum = span.cum
        if land_on_end:
            k = bisect.bisect_left(cum, position)
        else:
            k = bisect.bisect_right(cum, position)
        i = max(k - 1, 0)
        ordinal = span.base + i
        r = position - cum[i]
        for a, b, _before in self._iv[_weekday_of_ordinal(ordinal)]:
            length = b - a
            if r < length or (land_on_end and r == length):
                return self._at(ordinal, a + r)
            r -= length
        raise AssertionError("posisi di luar hari kerja")  # pragma: no cover

    def _close(self, ordinal: int) -> datetime:
        close = self._close_time[_weekday_of_ordinal(ordinal)]
        assert close is not None
        d = date.fromordinal(ordinal)
        return datetime(
            d.year,
            d.month,
            d.day,
            close.hour,
            close.minute,
            close.second,
            close.microsecond,
            tzinfo=self.tz,
        )

    # ----------------------------------------------------------------- days

    def non_working_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day (holiday name, closure reason, "Sabtu"/"Minggu"), or
        None for a working day. A holiday's name wins over a closure, a closure over the
        weekday."""
        if self._default_holidays:
            self._span_for(d.toordinal())  # the package's holidays cover the span's years
        name = self._holidays.get(d)
        if name:
            return name
        closure = self.closures.get(d)
        if closure is not None:
            return closure or "Kantor tutup"
        weekday = d.weekday()
        if not self._day_us[weekday]:
            if weekday >= 5:
                return DAY_NAMES[weekday]
            return f"{_NO_HOURS}{DAY_NAMES[weekday]}"
        return None

    def is_working_day(self, d: date) -> bool:
        return self.non_working_reason(d) is None

    def non_working_days(self, start: date, end: date) -> list[SkippedDay]:
        """The non-working days from ``start`` to ``end`` inclusive, with their reasons."""
        result = []
        for ordinal in range(start.toordinal(), end.toordinal() + 1):
            d = date.fromordinal(ordinal)
            reason = self.non_working_reason(d)
            if reason is not None:
                result.append(SkippedDay(d, reason))
        return result

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """Close of office hours on working day ``n``; day 1 is the first working day after
        the (local) day of ``start``. ``n == 0`` returns ``start`` (in the agency zone)."""
        if n < 0:
            raise ValueError("jumlah hari tidak boleh negatif")
        local = self._local(start)
        if n == 0:
            return local
        ordinal = local.toordinal()
        span = self._span_for(ordinal)
        while (idx := bisect.bisect_right(span.working, ordinal) + n - 1) >= len(span.working):
            span = self._grow(span)
        return self._close(span.working[idx])

    def working_days_between(self, a: datetime, b: datetime) -> int:
        """Working days after ``a``'s local date up to and including ``b``'s local date (0 when
        ``b`` is not later); the inverse of :meth:`add_working_days`."""
        oa, ob = self._local(a).toordinal(), self._local(b).toordinal()
        if ob <= oa:
            return 0
        working = self._span_for(oa, ob).working
        return bisect.bisect_right(working, ob) - bisect.bisect_right(working, oa)

    def add_calendar_days(self, start: datetime, n: int) -> datetime:
        """Close of office hours on calendar day ``n`` after the day of ``start``, or of the
        next working day when day ``n`` is not a working day."""
        if n < 0:
            raise ValueError("jumlah hari tidak boleh negatif")
        local = self._local(start)
        if n == 0:
            return local
        ordinal = local.toordinal() + n
        span = self._span_for(ordinal)
        while (idx := bisect.bisect_left(span.working, ordinal)) >= len(span.working):
            span = self._grow(span)
        return self._close(span.working[idx])

    # ----------------------------------------------------------------- seconds

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        """``start`` plus ``seconds`` of working time; a receipt outside office hours starts
        at the next opening, and a result exactly on a closing time or break start stays
        there. ``seconds == 0`` returns ``start``."""
        if seconds < 0:
            raise ValueError("jumlah detik tidak boleh negatif")
        local = self._local(start)
        if seconds == 0:
            return local
        span, (position,) = self._positions(local)
        return self._moment(span, position + int(seconds) * _US, land_on_end=True)

    def working_seconds_between(self, a: datetime, b: datetime) -> int:
        """Working seconds from ``a`` to ``b`` (whole seconds, rounded down; 0 if b <= a)."""
        la, lb = self._local(a), self._local(b)
        if lb <= la:
            return 0
        _span, (pa, pb) = self._positions(la, lb)
        return (pb - pa) // _US

    def pause(self, due: datetime, at: datetime) -> int:
        """Working seconds left at ``at`` before ``due`` (rounded up, never negative)."""
        la, ld = self._local(at), self._local(due)
        if ld <= la:
            return 0
        _span, (pa, pd) = self._positions(la, ld)
        return -((pa - pd) // _US)

    def resume(self, at: datetime, remaining_seconds: int) -> datetime:
        """The new due moment when the clock restarts at ``at`` with the remaining seconds."""
        return self.add_working_seconds(at, max(0, int(remaining_seconds)))

    def subtract_working_seconds(self, end: datetime, seconds: int) -> datetime:
        """The earliest moment with exactly ``seconds`` of working time before ``end`` (the
        inverse of :meth:`add_working_seconds`; across a night or a break it lands on the
        closing time or break start before the gap). ``seconds == 0`` returns ``end``."""
        if seconds < 0:
            raise ValueError("jumlah detik tidak boleh negatif")
        local = self._local(end)
        if seconds == 0:
            return local
        wanted = int(seconds) * _US
        back = timedelta(days=14)
        while True:
            span, (first, position) = self._positions(local - back, local)
            if position - first >= wanted:
                return self._moment(span, position - wanted, land_on_end=True)
            back *= 2

    def is_open(self, moment: datetime) -> bool:
        """Inside office hours on a working day (an interval's start included, its end not)."""
        local = self._local(moment)
        if not self.is_working_day(local.date()):
            return False
        tod = _time_us(local.time())
        return any(a <= tod < b for a, b, _ in self._iv[local.weekday()])

    def next_opening(self, moment: datetime) -> datetime:
        """``moment`` itself when open, else the next start of office hours."""
        local = self._local(moment)
        if self.is_open(local):
            return local
        span, (position,) = self._positions(local)
        return self._moment(span, position, land_on_end=False)

    # ----------------------------------------------------------------- deadlines

    def due(self, start: datetime, amount: int, unit: Unit | str) -> datetime:
        """The due moment only (the fast path of :meth:`add`)."""
        unit = Unit(unit)
        if unit is Unit.WORKING_DAY:
            return self.add_working_days(start, amount)
        if unit is Unit.WORKING_HOUR:
            return self.add_working_seconds(start, amount * 3600)
        if unit is Unit.WORKING_MINUTE:
            return self.add_working_seconds(start, amount * 60)
        return self.add_calendar_days(start, amount)

    def add(self, start: datetime, amount: int, unit: Unit | str, label: str = "") -> Deadline:
        """A :class:`Deadline` of ``amount`` ``unit`` from ``start``."""
        unit = Unit(unit)
        due = self.due(start, amount, unit)
        return Deadline(due, unit, amount, start.astimezone(self.tz), label, self)

    def skipped_days(
        self, start: datetime, due: datetime, unit: Unit | str = Unit.WORKING_DAY, amount: int = 0
    ) -> tuple[SkippedDay, ...]:
        """The non-working days a deadline skipped. Days rule: after the day of receipt up to
        the due day. Hours/minutes: from the day of receipt (when it is itself non-working) up
        to the due day. Calendar days: from day ``amount`` to the due day (the days that pushed
        the due time)."""
        unit = Unit(unit)
        first = self._local(start).date()
        last = self._local(due).date()
        if unit is Unit.WORKING_DAY:
            first += timedelta(days=1)
        elif unit is Unit.CALENDAR_DAY:
            first += timedelta(days=max(amount, 1))
        if last < first:
            return ()
        return tuple(self.non_working_days(first, last))
