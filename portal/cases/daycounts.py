"""Per-day counts of cases, kept exact in the transaction that changes a case.

The public performance pages add up days instead of reading every case of the period. A
*bucket* is one agency, one group (a request's service, a complaint's tier) and one local day
of the agency; its row holds how many cases count on that day (received, completed, on time…).
A case kind describes its buckets with a `DayCountSpec`:

- `contributions(values, tz)`: what one case adds, as ((group, day), {figure: 1, …}) pairs,
  read from the case's `watched` field values (a pure function: `rebuild` uses it);
- `window(since, until)` and `aggregates(since, until)`: the same figures for one day counted
  from the cases by the database (`recompute` uses them).

Any write that may change a watched field (a model's save or delete, a queryset's update,
delete, bulk_create or bulk_update: see `DayCounted` and `DayCountedQuerySet`) recomputes the
buckets the case counted in before and after, in the same transaction, under the buckets' row
locks: a bucket is a fresh count of its cases, so it cannot drift, and two transactions that
touch one bucket take turns (the second counts once the first has committed). The one
exception is a new case saved on its own (a submission, the busiest write): it adds its ones
to its buckets with one upsert per bucket table (insert the bucket, or add to it under its row
lock), which the same locks keep exact without counting the whole day again.
The writes take no savepoint of their own: a failure fails the whole transaction they are part
of, as Django's own saves do. Bulk loads that bypass the ORM (COPY)
call `rebuild`, which counts everything again from the cases with `contributions`; the tests
compare the two.

The counts are an effect of writing a case, not a step of the code that writes it. This is the
one place that says how each way of writing a case keeps them exact:

- the case actions (portal.cases.actions and each kind's actions): they lock the case's row,
  change it and save it; the save recounts the buckets it counted in before and after, under
  the buckets' row locks, in the action's transaction (a new case adds its ones, see above);
- any other ORM write of a case (a retention's anonymising save, a superuser's delete in the
  admin, a test's or a shell's queryset update, delete, bulk_create or bulk_update): the same,
  by `DayCounted` and `DayCountedQuerySet`;
- a relation never deletes a case behind the counts' back: a case's foreign keys protect it
  or set themselves to null (tests/portal/cases/test_daycounts.py checks it);
- a changed agency time zone moves its cases to other local days: Agency.save calls
  `rebuild_all` for that agency;
- rows that bypass the ORM (COPY in `generate_benchmark_data`, a migration's historical models)
  are followed by `rebuild` / `rebuild_all`, and `manage.py rebuild_performance_counts` counts
  everything again at any time.

No code writes a case's table by raw SQL; a new path that must (a COPY, a raw UPDATE) calls
`rebuild` for the agencies it touched in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections, models, router, transaction
from django.db.models import Q
from django.db.models.signals import class_prepared
from django.dispatch import receiver

Key = tuple[int, Any, date]  # (agency id, group value, local day)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The day's first moment and the next day's, in the agency's zone."""
    return (
        datetime.combine(day, time.min, tz),
        datetime.combine(day + timedelta(days=1), time.min, tz),
    )


@dataclass(frozen=True)
class DayCountSpec:
    count_model: Callable[[], type]  # the table of buckets (a callable: models load late)
    group: str | None  # the case's field naming the group ("standard_id", "tier"); None: none
    count_group: str | None  # the same in the bucket table
    watched: tuple[str, ...]  # the case fields the figures read (attnames)
    figures: tuple[str, ...]
    contributions: Callable[[dict, ZoneInfo], list[tuple[tuple[Any, date], dict[str, int]]]]
    window: Callable[[datetime, datetime], Q]
    aggregates: Callable[[datetime, datetime], dict]
    zones: Callable[[Iterable[int]], dict[int, ZoneInfo]]

    @property
    def fields(self) -> tuple[str, ...]:
        return ("agency_id", *([self.group] if self.group else []), *self.watched)

    def _group(self, value) -> dict:
        return {self.count_group: value} if self.count_group else {}

    def _case_group(self, value) -> dict:
        return {self.group: value} if self.group else {}

    def keys(self, values: dict | None, zones: dict[int, ZoneInfo]) -> set[Key]:
        if values is None:
            return set()
        tz = zones[values["agency_id"]]
        return {(values["agency_id"], *key) for key, _n in self.contributions(values, tz)}


def recompute(spec: DayCountSpec, case_model, keys: Iterable[Key], *, zones=None) -> None:
    """Count the buckets `keys` again from the cases (rows with every figure 0 are removed)."""
    keys = sorted(set(keys), key=lambda k: (k[0], str(k[1]), k[2]))
    if not keys:
        return
    model = spec.count_model()
    zones = zones or spec.zones({k[0] for k in keys})
    order = ["agency_id", *([spec.count_group] if spec.count_group else []), "day"]
    with transaction.atomic(savepoint=False):
        # Lock every bucket first, in one order (no deadlock between two writers), so the
        # counts below see whatever another transaction committed to the same buckets. A
        # bucket not there yet is inserted (or found inserted by another writer) and locked.
        def lock(wanted):
            where = Q()
            for a, g, d in wanted:
                where |= Q(agency_id=a, **spec._group(g), day=d)
            rows = (
                model.objects.select_for_update()
                .filter(where)
                .order_by(*order)
                .values_list("pk", *order)
            )
            return {
                (key[0], key[1] if spec.count_group else None, key[-1]): pk for pk, *key in rows
            }

        locked = lock(keys)
        missing = [k for k in keys if k not in locked]
        if missing:
            model.objects.bulk_create(
                [model(agency_id=a, **spec._group(g), day=d) for a, g, d in missing],
                ignore_conflicts=True,
            )
            locked.update(lock(missing))
        empty = []
        for a, g, d in keys:
            since, until = day_bounds(d, zones[a])
            counts = (
                case_model._base_manager.order_by()
                .filter(Q(agency_id=a, **spec._case_group(g)) & spec.window(since, until))
                .aggregate(**spec.aggregates(since, until))
            )
            counts = {name: counts[name] or 0 for name in spec.figures}
            pk = locked[(a, g, d)]
            if any(counts.values()):
                model.objects.filter(pk=pk).update(**counts)
            else:
                empty.append(pk)
        if empty:
            model.objects.filter(pk__in=empty).delete()


def rebuild(
    spec: DayCountSpec, case_model, count_model=None, *, agency_ids=None, zones_of=None
) -> int:
    """Count every bucket again from the cases (all agencies, or those given); idempotent.
    Returns the number of bucket rows written. A migration passes its historical models
    (`case_model`, `count_model`) and `zones_of` (agency ids -> zones)."""
    model = count_model or spec.count_model()
    cases = case_model._base_manager.order_by()
    if agency_ids is not None:
        cases = cases.filter(agency_id__in=list(agency_ids))
    zones: dict[int, ZoneInfo] = {}
    written = 0
    with transaction.atomic():
        stale = model.objects.all()
        if agency_ids is not None:
            stale = stale.filter(agency_id__in=list(agency_ids))
        stale.delete()
        agencies = sorted(set(cases.values_list("agency_id", flat=True).distinct()))
        zones = (zones_of or spec.zones)(agencies)
        for agency_id in agencies:
            buckets: dict[tuple[Any, date], dict[str, int]] = defaultdict(
                lambda: dict.fromkeys(spec.figures, 0)
            )
            tz = zones[agency_id]
            rows = cases.filter(agency_id=agency_id).values(*spec.fields)
            for values in rows.iterator(chunk_size=20000):
                for key, adds in spec.contributions(values, tz):
                    bucket = buckets[key]
                    for name, n in adds.items():
                        bucket[name] += n
            objs = [
                model(agency_id=agency_id, **spec._group(g), day=d, **figures)
                for (g, d), figures in buckets.items()
                if any(figures.values())
            ]
            model.objects.bulk_create(objs, batch_size=2000)
            written += len(objs)
    return written


def _attnames(model, names) -> set[str]:
    out = set()
    for name in names:
        try:
            out.add(model._meta.get_field(name).attname)
        except Exception:  # noqa: BLE001 - not a field: let Django report it
            out.add(name)
    return out


def _fields(specs) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for spec in specs for f in spec.fields))


def _recount(model, specs, rows: list[dict]) -> None:
    """Recompute every bucket the given values of cases count in, for every spec."""
    rows = [r for r in rows if r]
    if not rows:
        return
    zones = specs[0].zones({r["agency_id"] for r in rows})
    for spec in specs:
        keys: set[Key] = set()
        for values in rows:
            keys |= spec.keys(values, zones)
        recompute(spec, model, keys, zones=zones)


def _add(model, specs, values: dict, zone: ZoneInfo | None = None) -> None:
    """Add a case just inserted to its buckets, for every spec: one upsert per bucket table,
    which inserts a missing bucket or adds to the stored one under its row lock (the lock the
    recounts take too), so concurrent submissions to one bucket add up exactly. `zone`: the
    agency's, when the caller has the agency at hand (no query for it)."""
    agency_id = values["agency_id"]
    zone = zone or specs[0].zones({agency_id})[agency_id]
    for spec in specs:
        adds: dict[Key, dict[str, int]] = {}
        for (group, day), figures in spec.contributions(values, zone):
            bucket = adds.setdefault((agency_id, group, day), dict.fromkeys(spec.figures, 0))
            for name, n in figures.items():
                bucket[name] += n
        _upsert(spec, adds)


def _upsert(spec: DayCountSpec, adds: dict[Key, dict[str, int]]) -> None:
    model = spec.count_model()
    db = router.db_for_write(model)
    connection = connections[db]
    opts = model._meta
    quote = connection.ops.quote_name

    def column(name):
        return quote(opts.get_field(name).column)

    keys = ["agency_id", *([spec.count_group] if spec.count_group else []), "day"]
    figures = list(spec.figures)
    rows = sorted(adds.items(), key=lambda item: (item[0][0], str(item[0][1]), item[0][2]))
    params: list = []
    for (agency_id, group, day), added in rows:
        params += [agency_id, *([group] if spec.count_group else [])]
        params += [connection.ops.adapt_datefield_value(day), *(added[f] for f in figures)]
    width = len(keys) + len(figures)
    values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(rows))
    table = quote(opts.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(column(n) for n in [*keys, *figures])}) "
        f"VALUES {values} ON CONFLICT ({', '.join(column(n) for n in keys)}) DO UPDATE SET "
        + ", ".join(f"{column(f)} = {table}.{column(f)} + excluded.{column(f)}" for f in figures)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class DayCountedQuerySet(models.QuerySet):
    """Bulk writes that keep the day counts exact (see the module's docstring)."""

    def _specs(self) -> tuple[DayCountSpec, ...]:
        return self.model.day_count_specs()

    def _touches(self, names) -> bool:
        return bool(_attnames(self.model, names) & set(_fields(self._specs())))

    def _values_of(self, queryset) -> list[dict]:
        return list(queryset.order_by().values("pk", *_fields(self._specs())))

    def _recount(self, before: list[dict], after: list[dict]) -> None:
        _recount(self.model, self._specs(), [*before, *after])

    def update(self, **kwargs):
        if not self._touches(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            before = self._values_of(self)
            changed = super().update(**kwargs)
            pks = [r["pk"] for r in before]
            after = self._values_of(self.model._base_manager.filter(pk__in=pks))
            self._recount(before, after)
        return changed

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            before = self._values_of(self)
            result = super().delete()
            self._recount(before, [])
        return result

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            fields = _fields(self._specs())
            self._recount([], [{f: getattr(o, f) for f in fields} for o in created])
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        if not self._touches(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            before = self._values_of(self.model._base_manager.filter(pk__in=[o.pk for o in objs]))
            changed = super().bulk_update(objs, fields, *args, **kwargs)
            after = self._values_of(self.model._base_manager.filter(pk__in=[o.pk for o in objs]))
            self._recount(before, after)
        return changed


_COUNTED: list[type] = []  # every concrete DayCounted model, as the apps define them


def counted_models() -> list[type]:
    return list(_COUNTED)


def rebuild_all(*, agency_ids=None) -> dict[str, int]:
    """Count every kind's buckets again (all agencies, or those given); rows per kind."""
    return {
        spec.count_model()._meta.label: rebuild(spec, model, agency_ids=agency_ids)
        for model in counted_models()
        for spec in model.day_count_specs()
    }


class DayCounted(models.Model):
    """A case whose save and delete keep its kind's day counts exact."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        specs = self.day_count_specs()
        fields = _fields(specs)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not (_attnames(type(self), update_fields) & set(fields)):
            return super().save(*args, **kwargs)
        stored = type(self)._base_manager
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            # The stored values (not those this instance was loaded with: another write may
            # have changed them since).
            before = None
            if not self._state.adding and self.pk is not None:
                before = stored.filter(pk=self.pk).values(*fields).first()
            super().save(*args, **kwargs)
            after = self._count_values(fields)
            if after is None:
                after = stored.filter(pk=self.pk).values(*fields).first()
            if before is None:
                _add(type(self), specs, after, zone=self._agency_zone(after["agency_id"]))
            elif before != after:
                _recount(type(self), specs, [before, after])

    save.alters_data = True

    def delete(self, *args, **kwargs):
        specs = self.day_count_specs()
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            stored = type(self)._base_manager.filter(pk=self.pk)
            before = stored.values(*_fields(specs)).first()
            result = super().delete(*args, **kwargs)
            _recount(type(self), specs, [before])
        return result

    delete.alters_data = True

    def _agency_zone(self, agency_id) -> ZoneInfo | None:
        """The zone of the agency this case was given as an instance (None: not at hand)."""
        agency = self._state.fields_cache.get("agency")
        timezone = getattr(agency, "timezone", None)
        return ZoneInfo(timezone) if timezone and agency.pk == agency_id else None

    def _count_values(self, fields) -> dict | None:
        """The watched values of this instance (None when one of them is deferred)."""
        loaded = self.__dict__
        if any(f not in loaded for f in fields):
            return None
        return {f: loaded[f] for f in fields}

    @classmethod
    def day_count_specs(cls) -> tuple[DayCountSpec, ...]:
        raise NotImplementedError


@receiver(class_prepared)
def _register(sender, **kwargs):
    if (
        issubclass(sender, DayCounted)
        and not sender._meta.abstract
        and not sender._meta.proxy
        and sender.__module__ != "__fake__"  # a migration's historical model
        and sender not in _COUNTED
    ):
        _COUNTED.append(sender)
