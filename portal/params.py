"""Reading the query parameters of a page: dates, months, whole numbers and page numbers.

A date or a month is read only within the years the portal supports (MIN_YEAR–MAX_YEAR: the
working calendar, a period's exclusive end one day later and every database keep to finite,
ordinary dates there); a value that cannot be read or lies outside them raises BadParameter,
which the portal answers with its own 400 page in the visitor's language, saying which
parameter was wrong and how to write it (never echoing the value). A bounded number is
refused or clamped, as its caller chooses. A page number is always clamped: page 0, -1, "abc"
or 10**30 shows the nearest page that exists, as Django's `Paginator.get_page` does.
"""

from __future__ import annotations

import re
from datetime import date
from functools import wraps

from django import forms
from django.contrib.admin import ModelAdmin, SimpleListFilter
from django.contrib.admin.views import main as changelist
from django.core.exceptions import (
    BadRequest,
    FieldDoesNotExist,
    FieldError,
    ValidationError,
)
from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

MIN_YEAR, MAX_YEAR = 2000, 2100
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
MAX_PAGE = 1_000_000  # far beyond any list; keeps the number an ordinary integer
MAX_ID = 2**63 - 1  # the largest row id any database stores (SQLite and PostgreSQL bigint)

DATE_INVALID = _("Tanggal tidak dapat dibaca: tulis sebagai TTTT-BB-HH, mis. 2025-06-30.")
DATE_RANGE = _("Tanggal harus di antara tahun %(min)s dan %(max)s.")
MONTH_INVALID = _("Bulan tidak dapat dibaca: tulis sebagai TTTT-BB, mis. 2025-06.")
MONTH_RANGE = _("Bulan harus di antara tahun %(min)s dan %(max)s.")
NUMBER_INVALID = _("Nilai ini harus bilangan bulat.")
NUMBER_RANGE = _("Nilai ini harus di antara %(min)s dan %(max)s.")

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}", re.ASCII)


class BadParameter(BadRequest):
    """A query parameter that cannot be read; answered with the 400 page (`bad_request`)."""

    def __init__(self, name: str, message):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


class DateField(forms.DateField):
    """A form's date of the supported years; anything else is a field error in Indonesian."""

    default_error_messages = {"invalid": DATE_INVALID}

    def validate(self, value):
        super().validate(value)
        if value is not None and not MIN_DATE <= value <= MAX_DATE:
            raise ValidationError(
                DATE_RANGE, code="range", params={"min": MIN_YEAR, "max": MAX_YEAR}
            )


def parse_date(value: str | None, *, name: str, default: date | None = None) -> date | None:
    """The date written in `value` (ISO, or as the date fields accept it); `default` when empty."""
    if not value:
        return default
    try:
        return DateField().clean(value)
    except ValidationError as error:
        raise BadParameter(name, error.messages[0]) from error


def parse_month(value: str | None, *, name: str) -> tuple[int, int]:
    """(year, month) from "YYYY-MM"; a missing month is refused like a wrong one."""
    match = _MONTH.fullmatch(value or "")
    if match is None or not 1 <= int(match[2]) <= 12:
        raise BadParameter(name, MONTH_INVALID)
    year, month = int(match[1]), int(match[2])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadParameter(name, MONTH_RANGE % {"min": MIN_YEAR, "max": MAX_YEAR})
    return year, month


def parse_int(
    value: str | None,
    *,
    name: str,
    low: int,
    high: int,
    default: int | None = None,
    clamp: bool = False,
) -> int | None:
    """A whole number (ASCII digits, optional sign) from `low` to `high`; `default` when empty.
    Out of range, `clamp` gives the nearest bound, otherwise it is refused."""
    if value is None or value == "":
        return default
    if _INTEGER.fullmatch(value) is None:
        raise BadParameter(name, NUMBER_INVALID)
    digits = value.lstrip("+-").lstrip("0")
    # More digits than any bound: past the high end (or the low one, when negative).
    number = int(value) if len(digits) <= 18 else (low - 1 if value[0] == "-" else high + 1)
    if low <= number <= high:
        return number
    if clamp:
        return min(max(number, low), high)
    raise BadParameter(name, NUMBER_RANGE % {"min": low, "max": high})


def parse_page(value: str | None) -> int:
    """A page number, clamped from 1 to MAX_PAGE (`Paginator.get_page` then takes the last
    page that exists); anything that is not a number is the first page."""
    try:
        return parse_int(value, name="page", low=1, high=MAX_PAGE, default=1, clamp=True)
    except BadParameter:
        return 1


def parse_slug(value: str | None) -> str:
    """A slug (ASCII letters, digits, "-" and "_", as the catalogue's addresses are) from the
    query, or "" for anything else: no agency or service is named otherwise."""
    return value if value and _SLUG.fullmatch(value) else ""


def parse_id(value: str | None) -> int | None:
    """A row id from the query, or None for anything that is not one (never raises)."""
    try:
        return parse_int(value, name="id", low=0, high=MAX_ID)
    except BadParameter:
        return None


# ------------------------------------------------------------------ the admin's lookups

# The admin's own parameters (page, ordering, search, ...): Django reads them itself.
ADMIN_VARIABLES = {
    changelist.ALL_VAR,
    changelist.ORDER_VAR,
    changelist.PAGE_VAR,
    changelist.SEARCH_VAR,
    changelist.ERROR_FLAG,
    changelist.IS_POPUP_VAR,
    changelist.TO_FIELD_VAR,
    changelist.IS_FACETS_VAR,
    "_changelist_filters",
}
_DATE_PARTS = {"year", "iso_year"}
_SMALL_PARTS = {"month", "day", "week", "week_day", "iso_week_day", "quarter", "hour", "minute"}


def _lookup_target(model, name: str):
    """The model field a lookup such as `agency__id__exact` or `answered_on__year` compares
    with, and the lookups after it; (None, []) when the name is not a field path."""
    meta, field, parts = model._meta, None, name.split("__")
    for i, part in enumerate(parts):
        try:
            field = meta.get_field(part)
        except FieldDoesNotExist:
            return (field, parts[i:]) if field is not None else (None, [])
        if field.is_relation and field.related_model is not None:
            meta = field.related_model._meta
            try:
                field = field.target_field  # a relation compares the key it points to
            except (AttributeError, FieldError):
                return None, []
    return field, []


def _check_lookup(field, lookups: list[str], name: str, value: str) -> None:
    if not value or "isnull" in lookups:
        return
    values = value.split(",") if {"in", "range"} & set(lookups) else [value]
    for one in values:
        if lookups and lookups[0] in _DATE_PARTS:
            year = parse_int(one, name=name, low=-MAX_ID, high=MAX_ID)
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise BadParameter(name, DATE_RANGE % {"min": MIN_YEAR, "max": MAX_YEAR})
        elif lookups and lookups[0] in _SMALL_PARTS:
            parse_int(one, name=name, low=-1000, high=1000)
        elif isinstance(field, models.DateField) or (lookups and lookups[0] == "date"):
            try:
                moment = field.to_python(one)
            except ValidationError as error:
                raise BadParameter(name, DATE_INVALID) from error
            if not MIN_YEAR <= moment.year <= MAX_YEAR:
                raise BadParameter(name, DATE_RANGE % {"min": MIN_YEAR, "max": MAX_YEAR})
        elif isinstance(field, models.IntegerField):
            parse_int(one, name=name, low=-MAX_ID - 1, high=MAX_ID)


def check_lookups(model, query, *, own=frozenset()) -> None:
    """Refuse (BadParameter) a value the database cannot compare with the field it filters:
    a date outside the supported years, a year past them, a number past 64 bits or written in
    other than ASCII digits. Which lookups a list allows stays the ModelAdmin's decision, and
    the parameters in `own` (a list's own filters, which read their values themselves) are
    left to it."""
    for name, values in query.lists():
        if name in ADMIN_VARIABLES or name in own:
            continue
        field, lookups = _lookup_target(model, name)
        if field is None:
            continue
        for value in values:
            _check_lookup(field, lookups, name, value)


def checks_admin_lookups(view):
    """Wrap a ModelAdmin's view (its list, its export, its pages) with `check_lookups`; any
    other view is returned as it is."""
    model_admin = getattr(view, "__self__", None)
    if not isinstance(model_admin, ModelAdmin):
        return view

    @wraps(view)
    def checked(request, *args, **kwargs):
        own = {
            spec.parameter_name
            for spec in model_admin.get_list_filter(request)
            if isinstance(spec, type) and issubclass(spec, SimpleListFilter)
        }
        check_lookups(model_admin.model, request.GET, own=own)
        return view(request, *args, **kwargs)

    return checked


def bad_request(request, exception=None):
    """The portal's 400 page (handler400): a parameter's own message when it is one of ours,
    the general one for any other refused request (e.g. an admin lookup that is not offered)."""
    context = {}
    if isinstance(exception, BadParameter):
        context = {"parameter": exception.name, "message": exception.message}
    response = render(request, "400.html", context, status=400)
    response["Cache-Control"] = "no-store"
    return response
