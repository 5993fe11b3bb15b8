"""A queue as a spreadsheet: CSV (UTF-8, for any tool) or XLSX (openpyxl, for Excel).

Every cell is text, written as the list shows it (times already in the agency's zone, with the
zone named; identities already withheld). A cell that a spreadsheet would read as a formula
(it starts with = + - @, a tab or a carriage return) is prefixed with an apostrophe, so an
applicant who types `=HYPERLINK(...)` as their name cannot run anything on a clerk's machine
(OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    """The value as text that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    text = text.replace("\x00", "")
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, stream: bool = True
) -> HttpResponse | StreamingHttpResponse:
    """Streams the rows (a queue of 100,000 cases is never held in memory as one text), or
    with `stream=False` gives them as one response (a handful of selected rows)."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([safe_cell(h) for h in headers])
        for row in rows:
            yield writer.writerow([safe_cell(v) for v in row])

    if stream:
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, title: str
) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=safe_cell(title)[:31] or "Data")
    sheet.append([safe_cell(h) for h in headers])
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            cell.data_type = TYPE_STRING  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
