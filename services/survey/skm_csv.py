"""Reading a batch of paper questionnaires (SKM) from CSV, checking the whole file first.

The file is UTF-8 (a byte-order mark is allowed) with a header row
`agency,service,date,u1,u2,u3,u4,u5,u6,u7,u8,u9`, optionally followed by
`gender,age,education,occupation,suggestion` (in that order, any leading part of them).
agency and service are slugs (service may be empty: the agency as a whole), date is an ISO
date not in the future, each score is 1 to 4; a profile value is its code or its label
(`P` or `Perempuan`), any case. Every problem is reported as "baris N, kolom X: ..." with the
file's own line number (the header is line 1); a file with any problem gives no rows. Each
row keeps its line number, so a later check (an answer already stored) can name it too. A file
is known by the SHA-256 digest of its bytes, which is how an import recognises it again.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date

from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard
from services.survey.models import PROFILE_FIELDS, SCORE_FIELDS

REQUIRED = ("agency", "service", "date", *SCORE_FIELDS)
OPTIONAL = ("gender", "age", "education", "occupation", "suggestion")
MAX_SUGGESTION = 2000


@dataclass(frozen=True)
class CsvError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"baris {self.line}, kolom {self.column}: {self.message}"
        return f"baris {self.line}: {self.message}"


def digest(data: bytes) -> str:
    """The file's SHA-256 digest (hex): the same bytes are the same file, whatever its name."""
    return hashlib.sha256(data).hexdigest()


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[str(value).casefold()] = value
        lookup[str(label).casefold()] = value
    return lookup


def read(data: bytes, *, today: date) -> tuple[list[dict], list[CsvError]]:
    """The rows of the file ready for survey_import, or the list of its problems."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [CsvError(1, "", f"berkas bukan UTF-8 (byte ke-{exc.start + 1})")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return [], [CsvError(line, "", "berkas memuat karakter NUL")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [CsvError(1, "", "berkas kosong: baris judul kolom tidak ada")]
    except csv.Error as exc:
        return [], [CsvError(1, "", f"CSV tidak terbaca ({exc})")]
    expected = list(REQUIRED) + list(OPTIONAL[: max(0, len(header) - len(REQUIRED))])
    if header != expected:
        wanted = ",".join(REQUIRED) + "[," + ",".join(OPTIONAL) + "]"
        return [], [CsvError(1, "", f"judul kolom harus {wanted}; tertulis {','.join(header)}")]

    agencies = {a.slug: a for a in Agency.objects.all()}
    standards = {(s.agency_id, s.slug): s for s in ServiceStandard.objects.all()}
    lookups = {name: _choice_lookup(choices) for name, choices in PROFILE_FIELDS.items()}
    rows: list[dict] = []
    errors: list[CsvError] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue  # a blank line
            row_errors = _read_row(header, values, line, agencies, standards, lookups, today, rows)
            errors.extend(row_errors)
    except csv.Error as exc:
        errors.append(CsvError(reader.line_num, "", f"CSV tidak terbaca ({exc})"))
    if not rows and not errors:
        errors.append(CsvError(2, "", "tidak ada baris jawaban"))
    return ([] if errors else rows), errors


def _read_row(header, values, line, agencies, standards, lookups, today, rows):
    errors = []

    def error(column, message):
        errors.append(CsvError(line, column, message))

    if len(values) != len(header):
        error("", f"jumlah kolom {len(values)}, seharusnya {len(header)}")
        return errors
    cells = {name: value.strip() for name, value in zip(header, values, strict=True)}
    row: dict = {"line": line}
    agency = agencies.get(cells["agency"])
    if agency is None:
        error("agency", f'instansi "{cells["agency"]}" tidak dikenal')
    row["agency"] = agency
    row["standard"] = None
    if cells["service"] and agency is not None:
        row["standard"] = standards.get((agency.pk, cells["service"]))
        if row["standard"] is None:
            error("service", f'layanan "{cells["service"]}" tidak ada di {agency.slug}')
    try:
        row["date"] = date.fromisoformat(cells["date"])
    except ValueError:
        error("date", f'tanggal harus berbentuk TTTT-BB-HH; tertulis "{cells["date"]}"')
    else:
        if row["date"] > today:
            error("date", f"tanggal {row['date']} belum lewat")
    for key in SCORE_FIELDS:
        cell = cells[key]
        if cell not in ("1", "2", "3", "4"):
            error(key, f'nilai harus 1, 2, 3 atau 4; tertulis "{cell}"')
        else:
            row[key] = int(cell)
    for key, lookup in lookups.items():
        cell = cells.get(key, "")
        if cell:
            value = lookup.get(cell.casefold())
            if value is None:
                error(key, f'nilai "{cell}" tidak dikenal (pilihan: {", ".join(_codes(key))})')
            row[key] = value
    suggestion = cells.get("suggestion", "")
    if len(suggestion) > MAX_SUGGESTION:
        error("suggestion", f"paling banyak {MAX_SUGGESTION} karakter")
    row["suggestion"] = suggestion
    if not errors:
        rows.append(row)
    return errors


def _codes(key: str) -> list[str]:
    return [str(value) for value in PROFILE_FIELDS[key].values]
