"""The working time taken by requests completed before `working_seconds_taken` was kept
(services/0006), from their history: receipt, each pause and resume, completion, on the
agency's working calendar as it is now (time zone, office hours, closures, national holidays).
"""

from django.db import migrations


def backfill(apps, schema_editor):
    from portal.worktime import WorkCalendar
    from services.catalogue.calendars import weekly_hours
    from services.catalogue.deadlines import ClockStop, working_seconds_taken

    Agency = apps.get_model("services", "Agency")
    AgencyClosure = apps.get_model("services", "AgencyClosure")
    OfficeHours = apps.get_model("services", "OfficeHours")
    ServiceRequest = apps.get_model("services", "ServiceRequest")
    RequestEvent = apps.get_model("services", "RequestEvent")
    missing = ServiceRequest.objects.filter(
        status="selesai", working_seconds_taken__isnull=True, closed_at__isnull=False
    )
    calendars = {}
    for agency_id in missing.order_by().values_list("agency_id", flat=True).distinct():
        agency = Agency.objects.get(pk=agency_id)
        closures = {c.date: c.reason for c in AgencyClosure.objects.filter(agency_id=agency_id)}
        hours = weekly_hours(list(OfficeHours.objects.filter(agency_id=agency_id)))
        calendars[agency_id] = WorkCalendar(agency.timezone, hours=hours, closures=closures)
    batch = []
    for request in missing.order_by("pk").only("pk", "agency_id", "received_at", "closed_at"):
        stops: list = []
        events = RequestEvent.objects.filter(
            request_id=request.pk, kind__in=["paused", "resumed"]
        ).order_by("at", "pk")
        for kind, at, data in events.values_list("kind", "at", "data"):
            if kind == "paused":
                stops.append([ClockStop(at, None), None])
            elif stops and stops[-1][0].resumed is None:
                stops[-1] = [ClockStop(stops[-1][0].paused, at), (data or {}).get(
                    "paused_working_seconds"
                )]
        request.working_seconds_taken = working_seconds_taken(
            calendars[request.agency_id],
            request.received_at,
            request.closed_at,
            [(stop, recorded) for stop, recorded in stops],
        )
        batch.append(request)
        if len(batch) >= 1000:
            ServiceRequest.objects.bulk_update(batch, ["working_seconds_taken"])
            batch = []
    if batch:
        ServiceRequest.objects.bulk_update(batch, ["working_seconds_taken"])


class Migration(migrations.Migration):
    dependencies = [("services", "0009_request_day_counts")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
