from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Standar Pelayanan")

    def ready(self):
        from django.db.models.signals import post_migrate

        from portal import uploads
        from portal.cases import mail, registry, retention
        from services import notifications, request_views, request_workflow, selectors, signals
        from services import retention as request_retention
        from services.models import RequestStatus, ServiceRequest
        from services.roles import ensure_roles

        signals.connect_catalogue_signals()
        uploads.register_upload_count(selectors.most_documents_per_request)
        # Run after every app so the permissions of later apps exist too.
        post_migrate.connect(ensure_roles, dispatch_uid="services.ensure_roles")

        def receipt_context(case):
            return {
                "channels": selectors.complaint_channels(case.agency, case.standard),
                "promise": selectors.request_promise(case),
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
