from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Standar Pelayanan")

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.utils import timezone

        from portal import formlimits, uploads
        from portal.cases import mail, registry, retention
        from services.catalogue import hooks, signals
        from services.catalogue import pages as catalogue_pages
        from services.catalogue.models.standards import ServiceStandard
        from services.requests import actions as request_actions
        from services.requests import notifications
        from services.requests import retention as request_retention
        from services.requests import selectors as request_selectors
        from services.requests import views as request_views
        from services.requests import workflow as request_workflow
        from services.requests.models import RequestStatus, ServiceRequest
        from services.roles import ensure_roles

        signals.connect_catalogue_signals()
        # A changed calendar moves the due moments of the agency's open requests.
        hooks.recompute_on_calendar_change(
            request_actions.requests_recompute_deadlines,
            message="Jatuh tempo {n} permohonan dihitung ulang.",
            uid="services.recompute_requests",
        )

        def documents_in_form(agency, service):
            """The uploads of a request form: its version in force's document requirements."""
            try:
                intake = request_selectors.intake(agency, service, now=timezone.now())
            except ServiceStandard.DoesNotExist:
                return 0  # no form here (the page is a 404): no file is legal
            return sum(1 for r in intake.standard.requirements.all() if r.document)

        uploads.register_upload_count(request_selectors.most_documents_per_request)
        # Each public form's largest legal body (portal.formlimits): a request form takes the
        # documents of its service, a returned request's tracking page one, the survey none.
        formlimits.register("services:request_create", documents_in_form)
        formlimits.register("cases:track_detail", 1)
        formlimits.register("services:survey", 0)
        # Run after every app so the permissions of later apps exist too.
        post_migrate.connect(ensure_roles, dispatch_uid="services.ensure_roles")

        def receipt_context(case):
            return {
                "channels": catalogue_pages.complaint_channels(case.agency, case.standard),
                "promise": request_selectors.request_promise(case),
            }

        registry.register(
            registry.CaseKind(
                name="request",
                model=ServiceRequest,
                track_view=request_views.request_track,
                receipt_template="pdf/request_receipt.html",
                receipt_context=receipt_context,
                survey_open=lambda case: case.status == RequestStatus.DONE,
            )
        )
        retention.register(
            retention.Retention(
                name="request",
                label="Permohonan",
                model=ServiceRequest,
                closed_statuses=request_workflow.CLOSED,
                anonymise=request_retention.request_anonymise,
            )
        )
        mail.register_composer("services.request", notifications.compose_request_email)
        mail.register_composer(notifications.REMINDERS, notifications.compose_reminder)
